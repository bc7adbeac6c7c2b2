import { http } from '@google-cloud/functions-framework';
import { instrument } from '../../shared/observability/http-metrics.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { authConfig, embedConfig, limitsConfig, milvusConfig, optionalSinkConfig, queryAuditConfig, stepsConfig } from '../../shared/config/schemas.ts';
import { createPublisher } from '../../shared/http/publish-event.ts';
import { modelId } from '../../shared/embedding/model-id.ts';
import { createChunkStore } from '../../shared/milvus/chunk-store.ts';
import { createMilvusConnection } from '../../shared/milvus/milvus-client.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { createAudit } from './audit.ts';
import { createAuthenticator } from './authenticate.ts';
import { createConcurrencyLimit } from './concurrency-limit.ts';
import { createQueryFunction } from './handler.ts';
import { SOURCE } from './run-query.ts';

const milvus = loadConfig(milvusConfig);
const { EMBED_MODEL } = loadConfig(embedConfig.pick({ EMBED_MODEL: true }));
const { K_SINK } = loadConfig(optionalSinkConfig);
const auth = loadConfig(authConfig);
const { RAG_REPLY_SECRET, RAG_AUDIT_QUESTIONS } = loadConfig(queryAuditConfig);
const logger = createLogger({ function: 'query' });
const publish = K_SINK ? createPublisher(K_SINK) : undefined;
if (auth.RAG_AUTH === 'disabled') logger.warn('query.auth_disabled', { reason: 'RAG_AUTH=disabled: every caller is anonymous and sees every tenant' });
else if (auth.RAG_API_KEYS.length === 0 && !auth.RAG_OIDC_ISSUER) logger.warn('query.no_credentials', { reason: 'neither RAG_API_KEYS nor RAG_OIDC_ISSUER is set: every request will be refused' });
const handler = createQueryFunction({
  steps: loadConfig(stepsConfig),
  limits: loadConfig(limitsConfig),
  embeddingModel: modelId(EMBED_MODEL),
  store: createChunkStore(createMilvusConnection(milvus), milvus.MILVUS_COLLECTION_PREFIX),
  publish,
  replySecret: RAG_REPLY_SECRET,
  audit: createAudit({ publish, logger, includeQuestion: RAG_AUDIT_QUESTIONS, source: SOURCE }),
  authenticate: createAuthenticator(auth),
  limit: createConcurrencyLimit(auth.RAG_MAX_CONCURRENT_PER_KEY),
  logger,
});
http('query', instrument('query', handler));
