// The bulk-ingestion part of `npm run bench`: each model on Milvus Lite (what
// `npm start` runs), then the word model on the real Milvus 2.3.5 standalone
// server, each beside LangChain.js's bulk load of the same corpus on the same
// Milvus; questions during a load are asked with the word model on both.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { DEFAULT_INGEST_CONCURRENCY } from '../cli/ingest-folder.ts';
import { dropCollections } from '../drop-collections.ts';
import { bulkCorpus, bulkIngestion, bulkRatios, MILVUS_ADDRESSES, type MilvusBackend } from './bulk-ingest.ts';
import type { ComparisonInput } from './langchain-comparison.ts';
import { runLangChainBulk } from './langchain-comparison.ts';
import { localMilvusPid } from './process-cpu.ts';
import type { Figure } from './stats.ts';

const run = promisify(execFile);

export interface BulkRunsInput {
  documents: number;
  models: { glove: string; minilm: string };
  questionsUnderLoad: number;
  queries: number;
  /** Environment of every bulk stack (the collection prefix included). */
  env: Record<string, string> & { MILVUS_COLLECTION_PREFIX: string };
  /** LangChain's settings but for its Milvus, collection and documents. */
  langchain: Omit<ComparisonInput, 'milvusAddress' | 'milvusPid' | 'collection' | 'documents'>;
  work: string;
  log: (msg: string, fields?: object) => void;
}

async function onMilvus(backend: MilvusBackend, input: BulkRunsInput, models: [string, string][]): Promise<Figure[]> {
  const figures: Figure[] = [];
  const documents = bulkCorpus(input.documents);
  for (const [label, modelDir] of models) {
    input.log('bench.bulk', { documents: input.documents, model: label, milvus: backend });
    // Questions during a load are asked with the word model only: with MiniLM a second drop would take minutes more.
    const questionsUnderLoad = label === 'glove-6b-100d' ? input.questionsUnderLoad : undefined;
    const work = join(input.work, `bulk-${backend}-${label}`);
    figures.push(...(await bulkIngestion({ label, modelDir, documents, basePort: 18800, work, env: input.env, concurrency: DEFAULT_INGEST_CONCURRENCY, questionsUnderLoad, queries: input.queries, milvus: backend })));
  }
  const langchain = { ...input.langchain, milvusAddress: MILVUS_ADDRESSES[backend], milvusPid: await localMilvusPid(backend), collection: `${input.env.MILVUS_COLLECTION_PREFIX}_langchain`, documents };
  figures.push(...(await runLangChainBulk(langchain, 'glove-6b-100d', backend)));
  return figures;
}

/** Drops the collections the runs made on the standalone server (Lite's are dropped with the rest of the bench's). */
async function dropStandaloneCollections(prefix: string): Promise<void> {
  const client = new MilvusClient({ address: MILVUS_ADDRESSES.standalone, telemetry: { enabled: false }, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
  await dropCollections(client, prefix);
  await client.closeConnection();
}

export async function bulkRuns(input: BulkRunsInput): Promise<Figure[]> {
  const { glove, minilm } = input.models;
  const figures = await onMilvus('lite', input, [['glove-6b-100d', glove], ['all-MiniLM-L6-v2', minilm]]);
  const standalone = { ...process.env, MILVUS_BACKEND: 'standalone' };
  const started = await run('bash', ['scripts/milvus-local.sh', 'start'], { env: standalone, timeout: 600_000 });
  try {
    figures.push(...(await onMilvus('standalone', input, [['glove-6b-100d', glove]])));
  } finally {
    await dropStandaloneCollections(input.env.MILVUS_COLLECTION_PREFIX);
    if (!started.stdout.includes('already running')) await run('bash', ['scripts/milvus-local.sh', 'stop'], { env: standalone });
  }
  return [...figures, ...bulkRatios(figures)];
}
