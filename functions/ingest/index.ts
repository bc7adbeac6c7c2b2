import { http } from '@google-cloud/functions-framework';
import { instrument } from '../../shared/observability/http-metrics.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { embedConfig, limitsConfig, milvusConfig, sinkConfig, storageConfig } from '../../shared/config/schemas.ts';
import { createDocumentPreparer } from '../../shared/documents/document-preparer.ts';
import { modelId } from '../../shared/embedding/model-id.ts';
import { createPublisher } from '../../shared/http/publish-event.ts';
import { createChunkStore } from '../../shared/milvus/chunk-store.ts';
import { createMilvusConnection } from '../../shared/milvus/milvus-client.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { createIngestFunction } from './handler.ts';
import { createObjectReader } from './object-reader.ts';

const milvus = loadConfig(milvusConfig);
const storage = loadConfig(storageConfig);
const { EMBED_MODEL } = loadConfig(embedConfig.pick({ EMBED_MODEL: true }));
const limits = loadConfig(limitsConfig);
const store = createChunkStore(createMilvusConnection(milvus), milvus.MILVUS_COLLECTION_PREFIX);
const handler = createIngestFunction({
  objects: createObjectReader(storage),
  store,
  publish: createPublisher(loadConfig(sinkConfig).K_SINK),
  prepare: createDocumentPreparer(limits).prepare,
  embeddingModel: modelId(EMBED_MODEL),
  limits,
  localBucket: storage.LOCAL_BUCKET_NAME,
  logger: createLogger({ function: 'ingest' }),
  ready: () => store.ready(modelId(EMBED_MODEL)),
});
http('ingest', instrument('ingest', handler));
