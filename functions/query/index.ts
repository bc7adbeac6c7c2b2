import { http } from '@google-cloud/functions-framework';
import { instrument } from '../../shared/observability/http-metrics.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { embedConfig, limitsConfig, milvusConfig, optionalSinkConfig, stepsConfig } from '../../shared/config/schemas.ts';
import { createPublisher } from '../../shared/http/publish-event.ts';
import { modelId } from '../../shared/embedding/model-id.ts';
import { createChunkStore } from '../../shared/milvus/chunk-store.ts';
import { createMilvusConnection } from '../../shared/milvus/milvus-client.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { createQueryFunction } from './handler.ts';

const milvus = loadConfig(milvusConfig);
const { EMBED_MODEL } = loadConfig(embedConfig.pick({ EMBED_MODEL: true }));
const { K_SINK } = loadConfig(optionalSinkConfig);
const handler = createQueryFunction({
  steps: loadConfig(stepsConfig),
  limits: loadConfig(limitsConfig),
  embeddingModel: modelId(EMBED_MODEL),
  store: createChunkStore(createMilvusConnection(milvus), milvus.MILVUS_COLLECTION_PREFIX),
  publish: K_SINK ? createPublisher(K_SINK) : undefined,
  logger: createLogger({ function: 'query' }),
});
http('query', instrument('query', handler));
