import { http } from '@google-cloud/functions-framework';
import { instrument } from '../../shared/observability/http-metrics.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { embedConfig, milvusConfig, searchConfig } from '../../shared/config/schemas.ts';
import { modelId } from '../../shared/embedding/model-id.ts';
import { createEventFunction } from '../../shared/http/event-function.ts';
import { createChunkStore } from '../../shared/milvus/chunk-store.ts';
import { createMilvusConnection } from '../../shared/milvus/milvus-client.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { createSearchRoutes } from './handler.ts';

const config = loadConfig(milvusConfig);
// Searches use the model each question names; readiness checks the configured one's collection.
const { EMBED_MODEL } = loadConfig(embedConfig.pick({ EMBED_MODEL: true }));
const logger = createLogger({ function: 'search' });
const store = createChunkStore(createMilvusConnection(config), config.MILVUS_COLLECTION_PREFIX);
const routes = createSearchRoutes({ store, config: loadConfig(searchConfig) });
http('search', instrument('search', createEventFunction({ name: 'search', routes, logger, ready: () => store.ready(modelId(EMBED_MODEL)) })));
