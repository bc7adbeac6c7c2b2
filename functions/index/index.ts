import { http } from '@google-cloud/functions-framework';
import { instrument } from '../../shared/observability/http-metrics.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { milvusConfig } from '../../shared/config/schemas.ts';
import { createEventFunction } from '../../shared/http/event-function.ts';
import { createChunkStore } from '../../shared/milvus/chunk-store.ts';
import { createMilvusConnection } from '../../shared/milvus/milvus-client.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { createIndexRoutes } from './handler.ts';

const config = loadConfig(milvusConfig);
const logger = createLogger({ function: 'index' });
const store = createChunkStore(createMilvusConnection(config), config.MILVUS_COLLECTION_PREFIX);
http('index', instrument('index', createEventFunction({ name: 'index', routes: createIndexRoutes({ store }), logger, ready: store.ping })));
