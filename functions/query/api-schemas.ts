// The public HTTP contract. The handlers validate with these schemas and
// /openapi.json is generated from them, so the docs cannot drift from behaviour.
import { z } from 'zod';
import type { LimitsConfig } from '../../shared/config/schemas.ts';
import { answerGenerated, citation, documentRef, retrieval, retrievalMode, searchFilter } from '../../shared/events/data-schemas.ts';
import { DOCUMENT_FORMATS } from '../../shared/documents/blocks.ts';
import { BUCKET_ID_PREFIX, isBucketDocument } from '../../shared/identity/document-id.ts';

/** Something besides white space; a pattern, so that /openapi.json states it too. */
const NOT_BLANK = /\S/;
const METADATA_MAX_BYTES = 16 * 1024;

export function createApiSchemas(limits: LimitsConfig) {
  const queryRequest = z.strictObject({
    query: z.string().max(limits.MAX_QUERY_CHARS).regex(NOT_BLANK, 'must not be empty'),
    topK: z.int().min(1).max(limits.MAX_TOP_K).default(5),
    filter: searchFilter.optional(),
    retrieval: z
      .strictObject({ mode: retrievalMode.optional().describe('default: hybrid where the vector store can, else dense') })
      .optional()
      .describe('how passages are found: BM25 keywords, dense vectors, or both fused'),
    stream: z.boolean().default(false).describe('stream as text/event-stream (also chosen by Accept: text/event-stream)'),
    callbackUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional()
      .describe('answer asynchronously: 202 now, then answer.generated as a CloudEvent POSTed here'),
  });

  const queryAccepted = z.object({ id: z.string(), status: z.literal('accepted') });

  const timings = z.record(z.string(), z.number()).describe('milliseconds per step (embedMs, searchMs …), the work a step reported waiting on in its Server-Timing (embedModelMs, searchMilvusMs, generateLlmMs), and totalMs');

  const queryResponse = z.object({
    id: z.string(),
    answer: z.string(),
    citations: z.array(citation),
    model: z.string().describe('the LLM that wrote the answer, or "extractive"'),
    embeddingModel: z.string(),
    retrieval: retrieval.describe('the retrieval mode that served the question, and why it differs from the one asked for'),
    fallback: z.string().optional().describe('why the answer is extractive, when it is'),
    usage: answerGenerated.shape.usage.describe('tokens the LLM reported'),
    pii: answerGenerated.shape.pii.describe('personal data redacted from the answer, counted by kind'),
    timings,
  });

  /** What a document upload says about the document, whatever carries its content. */
  const documentFields = z.strictObject({
    id: documentRef.shape.id
      .refine((id) => !isBucketDocument(id), `ids beginning ${BUCKET_ID_PREFIX} name bucket objects and are written by the bucket only`)
      .optional()
      .describe('defaults to an id derived from source, so re-posting a source replaces it'),
    source: documentRef.shape.source,
    tenant: documentRef.shape.tenant.unwrap().optional().describe('defaults to the API key\'s tenant, or "default" without authentication'),
    tags: documentRef.shape.tags,
    groups: documentRef.shape.groups.describe('who may read it: callers in any of these groups; empty (the default), everyone in its tenant'),
    metadata: documentRef.shape.metadata.refine(
      (value) => Buffer.byteLength(JSON.stringify(value)) <= METADATA_MAX_BYTES,
      `must be at most ${METADATA_MAX_BYTES} bytes of JSON`,
    ),
  });

  /** A text document as JSON. Files (PDF, Office …) are sent as the body itself or as multipart/form-data. */
  const documentRequest = documentFields.extend({
    text: z.string().regex(NOT_BLANK, 'must not be empty'),
    contentType: z.enum(['text/plain', 'text/markdown', 'text/html', 'text/csv', 'application/json']).default('text/plain'),
  });

  /** The same fields as a file upload's query string or form fields: lists comma-separated, metadata as JSON. */
  const list = z.preprocess((value) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value), documentRef.shape.tags);
  const uploadFields = documentFields.extend({
    source: documentRef.shape.source.optional().describe('defaults to the file name'),
    tags: list,
    groups: list,
    metadata: z.preprocess((value) => {
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value);
      } catch {
        return value; // the record schema names the problem
      }
    }, documentFields.shape.metadata),
  });

  const documentIndexed = z.object({
    id: z.string(),
    tenant: z.string(),
    version: z.string(),
    chunks: z.int(),
    collection: z.string(),
    embeddingModel: z.string(),
    format: z.enum(DOCUMENT_FORMATS).describe('the format the document was parsed as'),
    pii: z.record(z.string(), z.int()).describe('personal data redacted before embedding, counted by kind'),
    warnings: z.array(z.object({ code: z.string(), detail: z.string() })).describe('what did not stop indexing but you should know, e.g. pages_without_text'),
    timings,
  });

  const documentStatus = z.object({
    id: z.string(),
    indexed: z.literal(true),
    chunks: z.int(),
    version: z.string(),
    source: z.string(),
    tenant: z.string(),
    groups: z.array(z.string()).describe('empty: readable by everyone in its tenant'),
    collection: z.string(),
  });

  const documentList = z.object({
    documents: z.array(documentStatus.pick({ id: true, version: true, source: true, tenant: true })),
    limit: z.int(),
    offset: z.int(),
  });

  const tenantParam = documentRef.shape.tenant.unwrap().optional().describe('an operator names the tenant; a caller bound to one may only name its own');

  const listQuery = z.object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
    tenant: tenantParam,
  });

  /** A document is named by its id within a tenant: the caller's own, or (operators) ?tenant=, else "default". */
  const documentQuery = z.object({ tenant: tenantParam });

  const documentDeleted = z.object({ id: z.string(), tenant: z.string(), deleted: z.literal(true), chunks: z.int() });

  return { queryRequest, queryResponse, queryAccepted, documentList, listQuery, documentQuery, documentFields, documentRequest, uploadFields, documentIndexed, documentStatus, documentDeleted };
}

export type ApiSchemas = ReturnType<typeof createApiSchemas>;
export type QueryRequest = z.output<ApiSchemas['queryRequest']>;
export type QueryResponse = z.output<ApiSchemas['queryResponse']>;
export type DocumentFields = z.output<ApiSchemas['documentFields']>;
