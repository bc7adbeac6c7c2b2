// The public function URL: the route table (questions, documents, published
// contracts, probes), the admission that runs before any body is read
// (route, credential, body limit), and the CloudEvent route for asynchronous
// answers coming back from the Broker.
import type { HttpFunction } from '@google-cloud/functions-framework';
import type { IncomingMessage } from 'node:http';
import type { DocumentPreparer } from '../../shared/documents/document-preparer.ts';
import type { LimitsConfig, StepsConfig } from '../../shared/config/schemas.ts';
import { sendJson, sendProblem } from '../../shared/http/respond.ts';
import { requestSignal } from '../../shared/http/request-signal.ts';
import type { ChunkStore } from '../../shared/milvus/chunk-store.ts';
import type { Logger } from '../../shared/observability/logger.ts';
import type { Admit } from '../../shared/runtime/admission.ts';
import { context, contextFromTraceparent, SpanKind, traceFor, withSpan } from '../../shared/observability/tracing.ts';
import { createApiSchemas } from './api-schemas.ts';
import { eventSchemas, openApiDocument } from './openapi.ts';
import { createAnswerDelivery } from './ask-async.ts';
import { askRoute } from './ask-route.ts';
import type { Audit } from './audit.ts';
import { createEventFunction } from '../../shared/http/event-function.ts';
import type { Publish } from '../../shared/http/publish-event.ts';
import { ANONYMOUS, type Authenticate } from './authenticate.ts';
import type { CallbackGuard } from './callback-guard.ts';
import type { createConcurrencyLimit } from './concurrency-limit.ts';
import { documentRoutes } from './document-routes.ts';
import { playgroundRoutes } from './playground-routes.ts';
import type { createRateLimit } from './rate-limit.ts';
import { createRouteTable, SMALL_BODY_BYTES, type Route } from './route-table.ts';

export interface QueryDeps {
  steps: StepsConfig;
  limits: LimitsConfig;
  /** The embedding model's name, which selects the collection. */
  embeddingModel: string;
  store: Pick<ChunkStore, 'describe' | 'list' | 'deleteDocument' | 'ready'>;
  /** Parses, redacts and chunks an uploaded document off the event loop. */
  prepare: DocumentPreparer['prepare'];
  /** Publishes to the Broker (K_SINK); absent where no sink is bound. */
  publish: Publish | undefined;
  /** Signs asynchronous replies (RAG_REPLY_SECRET); absent where not configured. */
  replySecret: string | undefined;
  replyTtlSeconds: number;
  callbacks: CallbackGuard;
  audit: Audit;
  authenticate: Authenticate;
  limit: ReturnType<typeof createConcurrencyLimit>;
  asyncRate: ReturnType<typeof createRateLimit>;
  /** The largest CloudEvent it reads (answer.generated). */
  maxEventBytes: number;
  logger: Logger;
}

const isCloudEvent = (req: IncomingMessage) => req.method === 'POST' && (Boolean(req.headers['ce-specversion']) || /^application\/cloudevents\+json\b/i.test(req.headers['content-type'] ?? ''));
const pathOf = (req: IncomingMessage) => (req.url ?? '/').split('?')[0]!;

export function createQueryFunction(deps: QueryDeps): { handler: HttpFunction; admit: Admit } {
  const api = createApiSchemas(deps.limits);
  const openapi = openApiDocument(api);
  const eventCatalogue = eventSchemas();
  const ok = { status: 'ok', function: 'query' };
  const routes: Route[] = [
    { method: 'GET', path: '/healthz', handle: async ({ res }) => sendJson(res, 200, ok), access: 'public' },
    { method: 'GET', path: '/readyz', handle: async ({ res }) => (await deps.store.ready(deps.embeddingModel), sendJson(res, 200, ok)), access: 'public' },
    { method: 'GET', path: '/openapi.json', handle: async ({ res }) => sendJson(res, 200, openapi), access: 'public' },
    { method: 'GET', path: '/v1/events', handle: async ({ res }) => sendJson(res, 200, eventCatalogue), access: 'public' },
    askRoute(deps, api),
    ...documentRoutes(deps, api),
    ...playgroundRoutes(),
  ];
  const table = createRouteTable(routes);

  /** Before the body: the route exists, the caller is known (on non-public routes), the body fits. */
  const admit: Admit = async (req) => {
    if (isCloudEvent(req)) return { maxBodyBytes: deps.maxEventBytes };
    const { route } = table.find(req.method, pathOf(req));
    if (route.access !== 'public') await deps.authenticate(req);
    return { maxBodyBytes: route.maxBodyBytes ?? SMALL_BODY_BYTES };
  };

  const deliverAnswer = createAnswerDelivery({ replySecret: deps.replySecret, audit: deps.audit, embeddingModel: deps.embeddingModel, callbacks: deps.callbacks });
  const receiveEvent = createEventFunction({ name: 'query', logger: deps.logger, routes: { 'dev.ragnative.answer.generated.v1': deliverAnswer } });

  const handler: HttpFunction = async (req, res) => {
    if (isCloudEvent(req)) return receiveEvent(req, res);
    const { signal, done } = requestSignal(res);
    let release: (() => void) | undefined;
    try {
      const { route, raw } = table.find(req.method, req.path);
      const identity = route.access === 'public' ? ANONYMOUS : await deps.authenticate(req);
      release = route.access === 'public' ? undefined : deps.limit.acquire(identity.keyId);
      const params = table.decode(raw);
      const incoming = req.get('traceparent');
      await context.with(contextFromTraceparent(incoming), () =>
        withSpan(`query ${req.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`, () => route.handle({ req, res, params, signal, identity, traceparent: traceFor(incoming) }), SpanKind.SERVER),
      );
    } catch (error) {
      sendProblem(res, error, deps.logger);
    } finally {
      release?.();
      done();
    }
  };
  return { handler, admit };
}
