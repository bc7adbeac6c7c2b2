// `npm run bench [-- --quick]`: measures the pipeline on this machine and writes
// bench/results.json (one object per figure) and BENCHMARKS.md. Not part of
// `npm test`. Uses the offline GloVe model, a real local Milvus, every function
// as its own process, and a local OpenAI-compatible server that answers at once.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { dropCollections } from '../drop-collections.ts';
import { startLocalStack } from '../local-stack.ts';
import { ensureMiniLmModel } from '../models/ensure-minilm.ts';
import { ensureGloveModel } from '../models/make-glove-model.ts';
import { makeTestModel } from '../models/make-test-model.ts';
import { startOpenAIStub } from '../../test/support/openai-stub.ts';
import { bucketLatency } from './bucket-latency.ts';
import { bulkRuns } from './bulk-runs.ts';
import { writeCharts } from './chart-files.ts';
import { coldStarts, compilePerFile, milvusClientStart } from './cold-start.ts';
import { corpus, QUESTIONS, TOP_K, type CorpusDocument } from './corpus.ts';
import { embedStepThroughput } from './embed-step.ts';
import { embeddingThroughput } from './embedding-throughput.ts';
import { comparisonRatios, runLangChain } from './langchain-comparison.ts';
import { milvusRecall } from './milvus-recall.ts';
import { peakRss } from './peak-rss.ts';
import { localMilvusPid, measureCpu, stackProcesses } from './process-cpu.ts';
import { writeBenchDocuments } from './prepare-documents.ts';
import { queryLatency } from './query-latency.ts';
import { writeReport } from './report.ts';
import { round, type Figure } from './stats.ts';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const SIZES = quick
  ? { underLoadQuestions: 10, bulkDocuments: 100, embedBatches: [1, 32], batches: [1, 32], textWords: [8, 64], repeats: 3, documents: 10, concurrency: [1, 8], queries: 24, files: 5, coldStarts: 2, pages: 50, sections: 200, vectors: [10_000], efs: [16, 64, 256], recallQueries: 100, comparisonQueries: 12 }
  : { underLoadQuestions: 40, bulkDocuments: 1000, embedBatches: [1, 8, 32], batches: [1, 8, 32, 128], textWords: [8, 32, 128], repeats: 5, documents: 30, concurrency: [1, 8, 32], queries: 96, files: 20, coldStarts: 5, pages: 500, sections: 2000, vectors: [10_000, 100_000], efs: [16, 32, 64, 128, 256], recallQueries: 200, comparisonQueries: 40 };
const CHUNK = { tokens: 200, overlap: 30 }; // the CHUNK_TOKENS / CHUNK_OVERLAP_TOKENS defaults, passed explicitly
const log = (msg: string, fields: object = {}) => console.error(JSON.stringify({ msg, ...fields }));

async function ingestCorpus(url: string, documents: CorpusDocument[]): Promise<Figure[]> {
  const started = performance.now();
  let chunks = 0;
  for (const document of documents) {
    const response = await fetch(`${url}/v1/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(document) });
    if (!response.ok) throw new Error(`ingest failed: ${response.status} ${await response.text()}`);
    chunks += ((await response.json()) as { chunks: number }).chunks;
  }
  const seconds = (performance.now() - started) / 1000;
  const params = { pipeline: 'ragnative', documents: documents.length, chunks, path: 'POST /v1/documents (synchronous)' };
  return [
    { name: 'ingest_documents_per_second', unit: 'documents/s', value: round(documents.length / seconds, 2), params },
    { name: 'ingest_chunks_per_second', unit: 'chunks/s', value: round(chunks / seconds, 1), params },
  ];
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  await run('npm', ['run', 'build'], { timeout: 300_000 }); // dist/, as the images run it: the preparation, embed-step and cold-start figures use it
  log('bench.prepare', { pages: SIZES.pages, sections: SIZES.sections });
  const documents_ = await mkdtemp(join(tmpdir(), 'ragnative-bench-documents-'));
  await writeBenchDocuments(documents_, SIZES.pages, SIZES.sections);
  const prepared = await run('node', ['--import', 'tsx', 'scripts/bench/prepare-documents.ts', documents_, String(SIZES.pages), String(SIZES.sections)], { timeout: 600_000 });
  figures.push(...(JSON.parse(prepared.stdout) as Figure[]));
  await rm(documents_, { recursive: true, force: true });
  const glove = await ensureGloveModel();
  const testModel = resolve(await makeTestModel());
  log('bench.embedding');
  figures.push(...(await embeddingThroughput(glove, SIZES.batches, SIZES.textWords, SIZES.repeats)), ...(await embeddingThroughput(testModel, SIZES.batches, SIZES.textWords, SIZES.repeats)));
  const minilm = await ensureMiniLmModel();
  log('bench.embed_step', { model: 'all-MiniLM-L6-v2' });
  figures.push(...(await embedStepThroughput(minilm, 'all-MiniLM-L6-v2', { batches: SIZES.embedBatches, repeats: SIZES.repeats, port: 18790 })));

  const milvus = await run('bash', ['scripts/milvus-local.sh', 'start'], { timeout: 600_000 });
  const startedMilvus = !milvus.stdout.includes('already running');
  const prefix = `bench_${Date.now() % 1_000_000}`;
  const work = await mkdtemp(join(tmpdir(), 'ragnative-bench-'));
  // Building the index for 100k vectors takes longer than the SDK's default 15 s deadline per call.
  const client = new MilvusClient({ address: '127.0.0.1:19530', timeout: 600_000, telemetry: { enabled: false }, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
  const documents = corpus(SIZES.documents);
  const llm = await startOpenAIStub({ apiKey: 'sk-bench', model: 'instant-llm', answer: () => 'An instant answer [1]' });
  const stack = await startLocalStack({
    basePort: 18600,
    watchDir: join(work, 'bucket'),
    bucketManifest: join(work, 'bucket-manifest.json'),
    deadLetterFile: join(work, 'dead-letters.jsonl'),
    env: { EMBED_MODEL: glove, EMBED_ALLOW_REMOTE: 'false', CHUNK_TOKENS: String(CHUNK.tokens), CHUNK_OVERLAP_TOKENS: String(CHUNK.overlap), RAG_AUTH: 'disabled', RAG_MAX_CONCURRENT_PER_KEY: '1000', MILVUS_COLLECTION_PREFIX: prefix, OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: llm.baseUrl, OPENAI_MODEL: 'instant-llm', PROMPT_MIN_SCORE: '0', LOG_LEVEL: 'silent' },
  });
  try {
    log('bench.ingest');
    figures.push(...(await ingestCorpus(stack.url, documents)));
    const processes = stackProcesses(() => stack.pids(), await localMilvusPid('lite'));
    for (const concurrency of SIZES.concurrency) {
      log('bench.query', { concurrency });
      const { result, cpu } = await measureCpu(processes, () => queryLatency(stack.url, concurrency, SIZES.queries, { model: 'glove-6b-100d', corpus: 'comparison' }));
      // What one question costs in CPU, by process: on 2 cores, what concurrency can and cannot overlap.
      figures.push(...result, ...Object.entries(cpu).map(([process, seconds]) => ({ name: 'query_cpu_ms_per_question', unit: 'ms', value: round((seconds * 1000) / SIZES.queries, 2), params: { concurrency, process, questions: SIZES.queries } })));
    }
    figures.push(...(await peakRss(stack.pids(), 'ingestion and the query runs')));
    log('bench.bucket');
    figures.push(...(await bucketLatency(stack.url, join(work, 'bucket'), SIZES.files)));
    log('bench.cold_start');
    const env = { EMBED_MODEL: glove, EMBED_ALLOW_REMOTE: 'false', MILVUS_COLLECTION_PREFIX: prefix, K_SINK: stack.broker.url };
    await compilePerFile();
    figures.push(...(await coldStarts(env, SIZES.coldStarts, 18690, ['tsx', 'tsc per file', 'bundled'], 'glove-6b-100d')));
    figures.push(...(await coldStarts({ ...env, EMBED_MODEL: minilm }, SIZES.coldStarts, 18690, ['bundled'], 'all-MiniLM-L6-v2', ['embed'])));
    figures.push(...(await milvusClientStart(SIZES.coldStarts)));
    await stack.stop(); // idle from here on; the comparison and the index runs get the machine to themselves
    log('bench.langchain');
    const llmSettings = { baseUrl: llm.baseUrl, apiKey: 'sk-bench', model: 'instant-llm' };
    figures.push(...(await runLangChain({ milvusAddress: '127.0.0.1:19530', collection: `${prefix}_langchain`, modelDir: glove, llm: llmSettings, documents, questions: QUESTIONS, queries: SIZES.comparisonQueries, topK: TOP_K, chunkTokens: CHUNK.tokens, overlapTokens: CHUNK.overlap, workDir: work })));
    if (llm.violations.length > 0) throw new Error(`the LLM server refused requests: ${llm.violations.join('; ')}`);
    figures.push(...comparisonRatios(figures));
    const bulkEnv = { EMBED_ALLOW_REMOTE: 'false', CHUNK_TOKENS: String(CHUNK.tokens), CHUNK_OVERLAP_TOKENS: String(CHUNK.overlap), RAG_AUTH: 'disabled', RAG_MAX_CONCURRENT_PER_KEY: '1000', MILVUS_COLLECTION_PREFIX: `${prefix}_bulk`, OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: llm.baseUrl, OPENAI_MODEL: 'instant-llm', PROMPT_MIN_SCORE: '0', LOG_LEVEL: 'silent' };
    const langchainBulk = { modelDir: glove, llm: llmSettings, questions: QUESTIONS, queries: 0, topK: TOP_K, chunkTokens: CHUNK.tokens, overlapTokens: CHUNK.overlap, workDir: work };
    figures.push(...(await bulkRuns({ documents: SIZES.bulkDocuments, models: { glove, minilm }, questionsUnderLoad: SIZES.underLoadQuestions, queries: SIZES.queries, env: bulkEnv, langchain: langchainBulk, work, log })));
    log('bench.milvus_index', { vectors: SIZES.vectors });
    figures.push(...(await milvusRecall(client, { sizes: SIZES.vectors, efs: SIZES.efs, queries: SIZES.recallQueries, collectionPrefix: prefix })));
  } finally {
    await stack.stop();
    await llm.close();
    await dropCollections(client, prefix);
    await client.closeConnection();
    if (startedMilvus) await run('bash', ['scripts/milvus-local.sh', 'stop']);
    await rm(work, { recursive: true, force: true });
  }

  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: round(totalmem() / 2 ** 30), node: process.version, milvus: 'Lite 3.2.2 (PyPI milvus-lite), as npm start runs it; the bulk loads also on 2.3.5 standalone (PyPI milvus)' };
  await mkdir('bench', { recursive: true });
  await writeFile('bench/results.json', `${JSON.stringify({ date: new Date().toISOString(), quick, machine, figures }, null, 2)}\n`);
  await writeReport('BENCHMARKS.md', { quick, machine, figures });
  const charts = await writeCharts('bench', figures);
  console.log(`wrote bench/results.json, BENCHMARKS.md and ${charts.join(', ')} (${figures.length} figures)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
