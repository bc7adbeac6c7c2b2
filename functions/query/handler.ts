// The public function URL: a small explicit router over the query path,
// synchronous document ingestion, and the published contracts.
import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import type { LimitsConfig, StepsConfig } from '../../shared/config/schemas.ts';
import { documentRef } from '../../shared/events/data-schemas.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { parseOrThrow } from '../../shared/errors/zod-issues.ts';
import { sendJson, sendProblem, sendProblemEvent } from '../../shared/http/respond.ts';
import { requestSignal } from '../../shared/http/request-signal.ts';
import { acceptsEventStream, openSse } from '../../shared/http/sse.ts';
import type { ChunkStore } from '../../shared/milvus/chunk-store.ts';
import type { Logger } from '../../shared/observability/logger.ts';
import { context, contextFromTraceparent, SpanKind, traceFor, withSpan } from '../../shared/observability/tracing.ts';
import { createApiSchemas, type QueryResponse } from './api-schemas.ts';
import { ingestDocument } from './ingest-document.ts';
import { eventSchemas, openApiDocument } from './openapi.ts';
import { readJsonBody } from './read-json-body.ts';
import { runQuery } from './run-query.ts';
import { askAsync, createAnswerDelivery } from './ask-async.ts';
import type { Audit } from './audit.ts';
import { createEventFunction } from '../../shared/http/event-function.ts';
import type { Publish } from '../../shared/http/publish-event.ts';
import { clockSequence } from './clock-sequence.ts';
import { accessOf, ANONYMOUS, mayRead, tenantFor, type Identity } from './authenticate.ts';
import type { createConcurrencyLimit } from './concurrency-limit.ts';

export interface QueryDeps {
  steps: StepsConfig;
  limits: LimitsConfig;
  /** The embedding model's name, which selects the collection. */
  embeddingModel: string;
  store: Pick<ChunkStore, 'describe' | 'list' | 'deleteDocument' | 'ping'>;
  /** Publishes to the Broker (K_SINK); absent where no sink is bound. */
  publish: Publish | undefined;
  /** Signs asynchronous replies (RAG_REPLY_SECRET); absent where not configured. */
  replySecret: string | undefined;
  audit: Audit;
  authenticate: (req: Request) => Promise<Identity>;
  limit: ReturnType<typeof createConcurrencyLimit>;
  logger: Logger;
}

interface Call {
  req: Request;
  res: Response;
  params: string[];
  signal: AbortSignal;
  traceparent: string | undefined;
  identity: Identity;
}

/** `public` routes (probes, published contracts) need no API key. */
type Route = [method: string, path: RegExp, handle: (call: Call) => Promise<void>, access?: 'public'];

const QUERY_BODY_BYTES = 256 * 1024;

/** A route's path for span names: /v1/documents/{id}, never an actual id. */
const routeTemplate = (path: RegExp) => path.source.replace(/^\^|\$$/g, '').replace(/\\\//g, '/').replace(/\\\./g, '.').replace('([^/]+)', '{id}');

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ProblemError('invalid_request', 'The path is not validly percent-encoded');
  }
}

export function createQueryFunction(deps: QueryDeps): HttpFunction {
  const api = createApiSchemas(deps.limits);
  const openapi = openApiDocument(api);
  const eventCatalogue = eventSchemas();
  const documentId = (call: Call) => parseOrThrow(documentRef.shape.id, call.params[0], 'invalid_request', 'Document id');

  /** A document the caller may read, or not found: other tenants' and groups' documents do not exist for it. */
  const ownDocument = async (call: Call) => {
    const status = await deps.store.describe(deps.embeddingModel, documentId(call));
    if (!status || !mayRead(call.identity, status)) {
      throw new ProblemError('document_not_found', 'No chunk of this document is indexed');
    }
    return status;
  };

  const ask = async ({ req, res, signal, traceparent, identity }: Call) => {
    const body = readJsonBody(req, api.queryRequest, QUERY_BODY_BYTES);
    const tenant = tenantFor(identity, body.filter?.tenant);
    const request = { ...body, filter: { ...body.filter, ...(tenant === undefined ? {} : { tenant }), ...accessOf(identity) } };
    if (request.callbackUrl || /\brespond-async\b/.test(req.get('prefer') ?? '')) {
      return sendJson(res, 202, await askAsync(request, identity, deps, traceparent));
    }
    const audit = (result: QueryResponse, mode: 'sync' | 'stream') =>
      deps.audit({ ...result, queryId: result.id }, { principal: identity.keyId, tenant: identity.tenant ?? null, mode, embeddingModel: result.embeddingModel, question: request.query, traceparent });
    if (!request.stream && !acceptsEventStream(req.get('accept'))) {
      const result = await runQuery(request, deps.steps, { traceparent, signal });
      sendJson(res, 200, result);
      return audit(result, 'sync');
    }
    // Validation and failures before the first byte still answer as problems;
    // once streaming, a failure is sent as an `error` event.
    let sse: ReturnType<typeof openSse> | undefined;
    try {
      const result = await runQuery(request, deps.steps, {
        traceparent,
        signal,
        onCitations: (citations) => (sse ??= openSse(res)).send('citations', { citations }),
        onDelta: (text) => (sse ??= openSse(res)).send('delta', { text }),
      });
      (sse ??= openSse(res)).send('done', result);
      sse.end();
      await audit(result, 'stream');
    } catch (error) {
      if (!sse) throw error;
      sendProblemEvent(sse, error, deps.logger);
    }
  };

  const routes: Route[] = [
    ['GET', /^\/healthz$/, async ({ res }) => sendJson(res, 200, { status: 'ok', function: 'query' }), 'public'],
    ['GET', /^\/readyz$/, async ({ res }) => (await deps.store.ping(), sendJson(res, 200, { status: 'ok', function: 'query' })), 'public'],
    ['GET', /^\/openapi\.json$/, async ({ res }) => sendJson(res, 200, openapi), 'public'],
    ['GET', /^\/v1\/events$/, async ({ res }) => sendJson(res, 200, eventCatalogue), 'public'],
    ['POST', /^\/v1\/query$/, ask],
    ['POST', /^\/v1\/documents$/, async ({ req, res, signal, traceparent, identity }) => {
      const body = readJsonBody(req, api.documentRequest, deps.limits.MAX_DOCUMENT_BYTES);
      const request = { ...body, tenant: tenantFor(identity, body.tenant) };
      const storedVersion = (docId: string) => deps.store.describe(deps.embeddingModel, docId);
      sendJson(res, 200, await ingestDocument(request, { steps: deps.steps, limits: deps.limits, storedVersion, traceparent, signal }));
    }],
    ['GET', /^\/v1\/documents$/, async ({ req, res, identity }) => {
      const { limit, offset } = parseOrThrow(api.listQuery, req.query, 'invalid_request', 'Query string');
      sendJson(res, 200, { documents: await deps.store.list(deps.embeddingModel, limit, offset, accessOf(identity)), limit, offset });
    }],
    ['GET', /^\/v1\/documents\/([^/]+)$/, async (call) => sendJson(call.res, 200, { ...(await ownDocument(call)), indexed: true })],
    ['DELETE', /^\/v1\/documents\/([^/]+)$/, async (call) => {
      const { id } = await ownDocument(call);
      const chunks = await deps.store.deleteDocument(deps.embeddingModel, id, clockSequence());
      sendJson(call.res, 200, { id, deleted: true, chunks });
    }],
  ];

  const deliverAnswer = createAnswerDelivery({ replySecret: deps.replySecret, audit: deps.audit, embeddingModel: deps.embeddingModel });
  const receiveEvent = createEventFunction({ name: 'query', logger: deps.logger, routes: { 'dev.ragnative.answer.generated.v1': deliverAnswer } });

  return async (req, res) => {
    if (req.method === 'POST' && (req.get('ce-specversion') || req.is('application/cloudevents+json'))) return receiveEvent(req, res);
    const { signal, done } = requestSignal(res);
    let release: (() => void) | undefined;
    try {
      const matches = routes.map(([method, path, handle, access]) => ({ method, path, handle, access, match: path.exec(req.path) })).filter((r) => r.match);
      const route = matches.find((r) => r.method === req.method);
      if (!route) {
        throw matches.length > 0
          ? new ProblemError('method_not_allowed', `Use ${matches.map((r) => r.method).join(' or ')}`)
          : new ProblemError('not_found', 'No such route; see /openapi.json');
      }
      const identity = route.access === 'public' ? ANONYMOUS : await deps.authenticate(req); // before anything else is read
      release = route.access === 'public' ? undefined : deps.limit.acquire(identity.keyId);
      const params = route.match!.slice(1).map(decodePathSegment);
      const incoming = req.get('traceparent');
      await context.with(contextFromTraceparent(incoming), () =>
        withSpan(`query ${req.method} ${routeTemplate(route.path)}`, () => route.handle({ req, res, params, signal, identity, traceparent: traceFor(incoming) }), SpanKind.SERVER),
      );
    } catch (error) {
      sendProblem(res, error, deps.logger);
    } finally {
      release?.();
      done();
    }
  };
}
