// Waits until a Milvus can really serve ragnative: /healthz answers OK well before
// a restarted Milvus 2.3 can create, index, load and search a collection (its
// coordinators first wait out the previous run's etcd sessions, tens of seconds).
// Probes the full path the functions use, through the same setup code.
// Usage: tsx scripts/milvus-ready.ts [timeoutSeconds]
import { loadConfig } from '../shared/config/load-config.ts';
import { milvusConfig, searchConfig } from '../shared/config/schemas.ts';
import { chunkId } from '../shared/identity/document-id.ts';
import { sequenceToken } from '../shared/identity/sequence.ts';
import { createChunkStore } from '../shared/milvus/chunk-store.ts';
import { createMilvusConnection } from '../shared/milvus/milvus-client.ts';
import { searchSettings } from '../functions/search/handler.ts';

const PROBE_MODEL = 'readiness_probe';
const timeoutMs = Number(process.argv[2] ?? 180) * 1000;
const config = loadConfig(milvusConfig);
const connect = createMilvusConnection({ ...config, MILVUS_TIMEOUT_MS: 5_000 });
const store = createChunkStore(connect, config.MILVUS_COLLECTION_PREFIX);
const vector = [1, 0, 0, 0];
const sequence = sequenceToken(1n);
const ref = { tenant: 'probe', id: 'probe' };
const row = { id: chunkId(ref, 'v1', sequence, 0), doc_id: ref.id, doc_version: 'v1', doc_seq: sequence, chunk_index: 0, source: 'probe', tenant: ref.tenant, tags: [], groups: [], content_type: 'text/plain', page: 0, section: '', sheet: '', text: 'readiness probe', metadata: {}, vector };
const settings = searchSettings(loadConfig(searchConfig));

async function probe(): Promise<void> {
  await store.upsert(await store.prepare(PROBE_MODEL, vector.length), [row]);
  const { passages } = await store.search(PROBE_MODEL, { vector, question: 'readiness probe', topK: 1, filter: { tenant: ref.tenant } }, settings);
  if (passages[0]?.id !== row.id) throw new Error('the probe row is not searchable yet');
}

const started = Date.now();
for (let attempt = 1; ; attempt++) {
  try {
    await probe();
    const client = await connect();
    await client.dropCollection({ collection_name: store.collectionFor(PROBE_MODEL) });
    await client.closeConnection();
    console.log(`milvus: usable after ${((Date.now() - started) / 1000).toFixed(1)}s more (${attempt} probe${attempt > 1 ? 's' : ''})`);
    process.exit(0);
  } catch (error) {
    if (Date.now() - started > timeoutMs) {
      console.error(`milvus: not usable after ${timeoutMs / 1000}s: ${(error as Error).message}`);
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
