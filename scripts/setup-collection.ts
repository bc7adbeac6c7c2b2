// Creates (if absent), indexes and loads the Milvus collection for EMBED_MODEL,
// from milvus/index.json: the collection setup step, run locally or as the
// Kubernetes Job in milvus/setup-job.yaml. Idempotent. The collection's
// dimension is the model's own, found by embedding one word.
// Usage: EMBED_MODEL=... MILVUS_ADDRESS=... tsx scripts/setup-collection.ts
import { loadConfig } from '../shared/config/load-config.ts';
import { embedConfig, milvusConfig } from '../shared/config/schemas.ts';
import { createEmbedder } from '../shared/embedding/embedder.ts';
import { createChunkStore } from '../shared/milvus/chunk-store.ts';
import { createMilvusConnection } from '../shared/milvus/milvus-client.ts';
import { createLogger } from '../shared/observability/logger.ts';

const logger = createLogger({ job: 'setup-collection' });
const milvus = loadConfig(milvusConfig);
const embedder = createEmbedder(loadConfig(embedConfig), logger);
const connect = createMilvusConnection(milvus);

try {
  const [probe] = await embedder.embed(['dimension']);
  const collection = await createChunkStore(connect, milvus.MILVUS_COLLECTION_PREFIX).prepare(embedder.model, probe!.length);
  logger.info('setup.collection_ready', { collection, model: embedder.model, dim: probe!.length });
  await (await connect()).closeConnection();
} catch (error) {
  const { code, message } = error as { code?: string; message: string };
  logger.error('setup.failed', { code, errorMessage: message.slice(0, 300) });
  process.exitCode = 1;
}
