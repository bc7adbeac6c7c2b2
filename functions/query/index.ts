import { http } from '@google-cloud/functions-framework';
import { instrument } from '../../shared/observability/http-metrics.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { authConfig, embedConfig, eventLimitsConfig, limitsConfig, milvusConfig, optionalSinkConfig, queryAuditConfig, stepsConfig } from '../../shared/config/schemas.ts';
import { createPublisher } from '../../shared/http/publish-event.ts';
import { modelId } from '../../shared/embedding/model-id.ts';
import { createChunkStore } from '../../shared/milvus/chunk-store.ts';
import { createMilvusConnection } from '../../shared/milvus/milvus-client.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { createDocumentPreparer } from '../../shared/documents/document-preparer.ts';
import { registerAdmission } from '../../shared/runtime/admission.ts';
import { onShutdown } from '../../shared/runtime/shutdown.ts';
import { createAudit, createAuditQueue } from './audit.ts';
import { createAuthenticator } from './authenticate.ts';
import { createCallbackGuard } from './callback-guard.ts';
import { createConcurrencyLimit } from './concurrency-limit.ts';
import { createQueryFunction } from './handler.ts';
import { createRateLimit } from './rate-limit.ts';
import { SOURCE } from './run-query.ts';

const milvus = loadConfig(milvusConfig);
const { EMBED_MODEL } = loadConfig(embedConfig.pick({ EMBED_MODEL: true }));
const { K_SINK } = loadConfig(optionalSinkConfig);
const auth = loadConfig(authConfig);
const asyncConfig = loadConfig(queryAuditConfig);
const logger = createLogger({ function: 'query' });
const publish = K_SINK ? createPublisher(K_SINK) : undefined;
const auditQueue = publish ? createAuditQueue(publish, logger) : undefined;
if (auditQueue) onShutdown((timeoutMs) => auditQueue.drain(timeoutMs));
if (auth.RAG_AUTH === 'disabled') logger.warn('query.auth_disabled', { reason: 'RAG_AUTH=disabled: every caller is anonymous and sees every tenant' });
else if (auth.RAG_API_KEYS.length === 0 && !auth.RAG_OIDC_ISSUER) logger.warn('query.no_credentials', { reason: 'neither RAG_API_KEYS nor RAG_OIDC_ISSUER is set: every request will be refused' });
const limits = loadConfig(limitsConfig);
const { handler, admit } = createQueryFunction({
  steps: loadConfig(stepsConfig),
  limits,
  prepare: createDocumentPreparer(limits).prepare,
  embeddingModel: modelId(EMBED_MODEL),
  store: createChunkStore(createMilvusConnection(milvus), milvus.MILVUS_COLLECTION_PREFIX),
  publish,
  replySecret: asyncConfig.RAG_REPLY_SECRET,
  replyTtlSeconds: asyncConfig.RAG_REPLY_TTL_SECONDS,
  callbacks: createCallbackGuard(asyncConfig.RAG_CALLBACK_ALLOW),
  audit: createAudit({ queue: auditQueue, logger, includeQuestion: asyncConfig.RAG_AUDIT_QUESTIONS, source: SOURCE }),
  authenticate: createAuthenticator(auth),
  limit: createConcurrencyLimit(auth.RAG_MAX_CONCURRENT_PER_KEY),
  asyncRate: createRateLimit(asyncConfig.RAG_ASYNC_PER_MINUTE),
  maxEventBytes: loadConfig(eventLimitsConfig).MAX_EVENT_BYTES,
  logger,
});
registerAdmission('query', admit);
http('query', instrument('query', handler));
