// The document routes of the public URL. A document is named by its id within
// a tenant; a caller writes, reads and deletes only in its own tenant, and only
// documents it could read: uploading one restricted to groups it is not in, or
// replacing one such, is refused (403); reading or deleting one is not found.
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { parseOrThrow } from '../../shared/errors/zod-issues.ts';
import { documentRef } from '../../shared/events/data-schemas.ts';
import { sendJson } from '../../shared/http/respond.ts';
import { apiDocumentId, DEFAULT_TENANT, isBucketDocument, type DocumentRef } from '../../shared/identity/document-id.ts';
import { clockSequence } from '../../shared/identity/sequence.ts';
import type { ApiSchemas } from './api-schemas.ts';
import { accessOf, mayRead, tenantFor } from './authenticate.ts';
import type { QueryDeps } from './handler.ts';
import { ingestDocument } from './ingest-document.ts';
import { FORM_OVERHEAD_BYTES, readDocumentUpload } from './read-document-upload.ts';
import type { Call, Route } from './route-table.ts';

export function documentRoutes(deps: QueryDeps, api: ApiSchemas): Route[] {
  const model = deps.embeddingModel;

  const target = (call: Call): DocumentRef => {
    const { tenant } = parseOrThrow(api.documentQuery, call.req.query, 'invalid_request', 'Query string');
    const id = parseOrThrow(documentRef.shape.id, call.params.id, 'invalid_request', 'Document id');
    return { tenant: tenantFor(call.identity, tenant) ?? DEFAULT_TENANT, id };
  };

  /** A document the caller may read, or not found: other tenants' and groups' documents do not exist for it. */
  const readable = async (call: Call) => {
    const ref = target(call);
    const status = await deps.store.describe(model, ref);
    if (!status || !mayRead(call.identity, status)) throw new ProblemError('document_not_found', 'No chunk of this document is indexed');
    return { ref: { ...ref, tenant: status.tenant }, status };
  };

  const upload = async ({ req, res, signal, traceparent, identity }: Call) => {
    const { fields: body, input } = await readDocumentUpload(req, api, deps.limits.MAX_DOCUMENT_BYTES);
    const tenant = tenantFor(identity, body.tenant) ?? DEFAULT_TENANT;
    if (!mayRead(identity, { tenant, groups: body.groups })) {
      throw new ProblemError('forbidden', 'A document may be restricted only to groups its writer is in');
    }
    const ref = { tenant, id: body.id ?? apiDocumentId(body.source) };
    const existing = await deps.store.describe(model, ref);
    if (existing && !mayRead(identity, existing)) {
      throw new ProblemError('forbidden', 'This id (or source) holds a document restricted to groups you are not in');
    }
    const storedVersion = () => deps.store.describe(model, ref);
    const context = { steps: deps.steps, limits: deps.limits, prepare: deps.prepare, storedVersion, traceparent, signal };
    const indexed = await ingestDocument({ ...body, ...ref }, input, context);
    sendJson(res, 200, indexed);
  };

  const list = async ({ req, res, identity }: Call) => {
    const { limit, offset, tenant } = parseOrThrow(api.listQuery, req.query, 'invalid_request', 'Query string');
    const scope = tenantFor(identity, tenant);
    const access = { ...accessOf(identity), ...(scope === undefined ? {} : { tenant: scope }) };
    sendJson(res, 200, { documents: await deps.store.list(model, limit, offset, access), limit, offset });
  };

  const remove = async (call: Call) => {
    const { ref } = await readable(call);
    if (isBucketDocument(ref.id)) {
      throw new ProblemError('bucket_document', 'This document mirrors an object in a bucket: delete the object, and the bucket deletes the document');
    }
    const chunks = await deps.store.deleteDocument(model, ref, clockSequence());
    sendJson(call.res, 200, { id: ref.id, tenant: ref.tenant, deleted: true, chunks });
  };

  return [
    { method: 'POST', path: '/v1/documents', handle: upload, maxBodyBytes: deps.limits.MAX_DOCUMENT_BYTES + FORM_OVERHEAD_BYTES },
    { method: 'GET', path: '/v1/documents', handle: list },
    { method: 'GET', path: '/v1/documents/:id', handle: async (call) => sendJson(call.res, 200, { ...(await readable(call)).status, indexed: true }) },
    { method: 'DELETE', path: '/v1/documents/:id', handle: remove },
  ];
}
