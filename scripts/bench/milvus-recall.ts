// The vector index on its own: insert throughput, HNSW build time, and search
// latency and recall@10 against exact search for several `ef` values, on real
// pretrained embeddings (GloVe word vectors; queries are words outside the
// indexed set). Index type, metric, M and efConstruction come from
// milvus/index.json, the definition the functions create collections from.
import { ConsistencyLevelEnum, DataType, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import indexDefinition from '../../milvus/index.json' with { type: 'json' };
import { GLOVE_DIM, gloveVectors } from './glove-vectors.ts';
import { round, summarize, type Figure } from './stats.ts';

const TOP_K = 10;
const INSERT_BATCH = 5_000;

export interface RecallOptions {
  sizes: number[];
  efs: number[];
  queries: number;
  collectionPrefix: string;
}

const row = (data: Float32Array, i: number) => Array.from(data.subarray(i * GLOVE_DIM, (i + 1) * GLOVE_DIM));

/** Ids of the TOP_K base rows with the largest inner product (= cosine: rows are normalised). */
function exactTopK(base: Float32Array, size: number, query: Float32Array): Set<number> {
  const best: { id: number; score: number }[] = [];
  for (let i = 0; i < size; i++) {
    let score = 0;
    const offset = i * GLOVE_DIM;
    for (let d = 0; d < GLOVE_DIM; d++) score += base[offset + d]! * query[d]!;
    if (best.length < TOP_K || score > best[best.length - 1]!.score) {
      best.push({ id: i, score });
      best.sort((a, b) => b.score - a.score);
      if (best.length > TOP_K) best.pop();
    }
  }
  return new Set(best.map((b) => b.id));
}

async function waitForIndex(client: MilvusClient, collection: string, rows: number): Promise<void> {
  for (;;) {
    const described = await client.describeIndex({ collection_name: collection, field_name: 'vector' });
    const index = described.index_descriptions[0];
    if (index && Number(index.indexed_rows) >= rows && String(index.state) === 'Finished') return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function buildCollection(client: MilvusClient, collection: string, data: Float32Array, size: number): Promise<Figure[]> {
  await client.createCollection({
    collection_name: collection,
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
      { name: 'vector', data_type: DataType.FloatVector, dim: GLOVE_DIM },
    ],
  });
  const insertStarted = performance.now();
  for (let start = 0; start < size; start += INSERT_BATCH) {
    const rows = Array.from({ length: Math.min(INSERT_BATCH, size - start) }, (_, k) => ({ id: start + k, vector: row(data, start + k) }));
    const result = await client.insert({ collection_name: collection, data: rows });
    if (result.status.error_code !== 'Success') throw new Error(`insert failed: ${result.status.reason}`);
  }
  const insertSeconds = (performance.now() - insertStarted) / 1000;
  const buildStarted = performance.now();
  await client.flushSync({ collection_names: [collection] });
  await client.createIndex({ collection_name: collection, field_name: 'vector', index_type: indexDefinition.index_type, metric_type: indexDefinition.metric_type, params: indexDefinition.params });
  await waitForIndex(client, collection, size);
  await client.loadCollectionSync({ collection_name: collection });
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  const params = { vectors: size, dim: GLOVE_DIM, batch: INSERT_BATCH };
  return [
    { name: 'milvus_insert_throughput', unit: 'vectors/s', value: Math.round(size / insertSeconds), params },
    { name: 'milvus_flush_index_load_seconds', unit: 's', value: round(buildSeconds, 2), params: { ...params, ...indexDefinition.params } },
  ];
}

export async function milvusRecall(client: MilvusClient, options: RecallOptions): Promise<Figure[]> {
  const largest = Math.max(...options.sizes);
  const data = await gloveVectors(largest + options.queries);
  const queries = Array.from({ length: options.queries }, (_, q) => data.subarray((largest + q) * GLOVE_DIM, (largest + q + 1) * GLOVE_DIM));
  const figures: Figure[] = [];
  for (const size of options.sizes) {
    const collection = `${options.collectionPrefix}_recall_${size}`;
    figures.push(...(await buildCollection(client, collection, data, size)));
    const truth = queries.map((q) => exactTopK(data, size, q));
    for (const ef of options.efs) {
      const latencies: number[] = [];
      let found = 0;
      for (const [q, query] of queries.entries()) {
        const started = performance.now();
        const result = await client.search({ collection_name: collection, data: Array.from(query), limit: TOP_K, output_fields: ['id'], metric_type: indexDefinition.metric_type, params: { ef }, consistency_level: ConsistencyLevelEnum.Bounded });
        latencies.push(performance.now() - started);
        for (const hit of result.results) if (truth[q]!.has(Number(hit.id))) found++;
      }
      const s = summarize(latencies);
      const params = { vectors: size, ef, topK: TOP_K, queries: options.queries, index: `${indexDefinition.index_type} ${indexDefinition.metric_type} M=${indexDefinition.params.M} efConstruction=${indexDefinition.params.efConstruction}` };
      figures.push(
        { name: 'milvus_recall_at_10', unit: 'ratio', value: round(found / (TOP_K * options.queries), 3), params },
        { name: 'milvus_search_latency_p50', unit: 'ms', value: round(s.p50, 2), params },
        { name: 'milvus_search_latency_p95', unit: 'ms', value: round(s.p95, 2), params },
        { name: 'milvus_search_latency_p99', unit: 'ms', value: round(s.p99, 2), params },
      );
    }
    await client.dropCollection({ collection_name: collection });
  }
  return figures;
}
