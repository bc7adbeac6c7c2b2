// Bulk ingestion of one corpus on one stack (one model), three ways:
//  - the embed step alone, sent the same document.chunked events the pipeline
//    makes, as fast as it takes them: the ceiling ingestion is measured against;
//  - the CLI's folder upload (POST /v1/documents, a few in flight);
//  - the folder dropped into the watched bucket (watcher → broker → ingest →
//    broker → embed → broker → index), timed until every document.indexed event.
// Optionally, then, questions while a load runs: one question at a time, idle
// (once Milvus has finished its background work), then while another copy of
// the corpus is dropped into the bucket, until it is all searchable (the
// latency and failures a user asking during a bulk load sees); with ingestion
// niced as the local stack runs it, and at the questions' priority. Query
// latency with the model, one question at a time, once the corpus is indexed.
// Then the peak RSS of every function and preparation worker.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../shared/config/load-config.ts';
import { limitsConfig } from '../../shared/config/schemas.ts';
import { prepareDocument } from '../../shared/documents/prepare-document.ts';
import { chunkBatches } from '../../shared/events/chunk-batches.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { callStep } from '../../shared/http/step-client.ts';
import { clockSequence } from '../../shared/identity/sequence.ts';
import { ingestFolder } from '../cli/ingest-folder.ts';
import { eachConcurrently } from '../each-concurrently.ts';
import type { BrokerRecord } from '../local-broker/broker.ts';
import { INGESTION_NICE, startLocalStack } from '../local-stack.ts';
import type { CorpusDocument } from './corpus.ts';
import { childPids, peakRss } from './peak-rss.ts';
import { find } from './figures.ts';
import { milvusQuiet } from './milvus-quiet.ts';
import { cpuFigures, localMilvusPid, measureCpu, stackProcesses } from './process-cpu.ts';
import { queryLatency } from './query-latency.ts';
import { round, summarize, type Figure } from './stats.ts';

const TOPICS = ['refunds', 'shipping', 'warranty', 'travel', 'security', 'onboarding', 'payroll', 'procurement'];
const CITIES = ['Lyon', 'Oslo', 'Porto', 'Kraków', 'Ghent', 'Turin', 'Tartu', 'Cork'];

/** Documents of about 900 words (5–6 chunks of 200 tokens), each different. */
export function bulkCorpus(documents: number): CorpusDocument[] {
  return Array.from({ length: documents }, (_, i) => {
    const topic = TOPICS[i % TOPICS.length]!;
    const sentences = Array.from({ length: 40 }, (_, s) => {
      const city = CITIES[(i + s) % CITIES.length]!;
      return `Rule ${s + 1} of the ${topic} policy ${i}: requests from the ${city} office are answered within ${(s % 9) + 1} working days, and exceptions need approval from a manager.`;
    });
    const paragraphs = Array.from({ length: 8 }, (_, p) => sentences.slice(p * 5, p * 5 + 5).join(' '));
    return { source: `bulk/${topic}-${i}.md`, text: `# ${topic} policy ${i}\n\n${paragraphs.join('\n\n')}` };
  });
}

export const BULK_PATHS = { embed: 'embed step alone', cli: 'CLI ingest (POST /v1/documents)', bucket: 'bucket drop (event chain)' } as const;

export interface BulkOptions {
  label: string;
  modelDir: string;
  documents: CorpusDocument[];
  basePort: number;
  work: string;
  env: Record<string, string>;
  /** Uploads (and embed requests) in flight at once: the CLI's default. */
  concurrency: number;
  /** Questions asked idle and during a second bucket drop (none: not measured). */
  questionsUnderLoad?: number;
  /** Questions asked one at a time once the corpus is indexed (query latency with this model). */
  queries: number;
  /** Which local Milvus (`scripts/milvus-local.sh`, already started) the stack uses. */
  milvus: MilvusBackend;
}

export type MilvusBackend = 'lite' | 'standalone';
export const MILVUS_ADDRESSES: Record<MilvusBackend, string> = { lite: '127.0.0.1:19530', standalone: '127.0.0.1:19531' };

async function writeCorpus(dir: string, documents: CorpusDocument[]): Promise<void> {
  for (const d of documents) {
    await mkdir(join(dir, d.source, '..'), { recursive: true });
    await writeFile(join(dir, d.source), d.text);
  }
}

/** The document.chunked events the pipeline makes for the corpus, prepared in this process (not timed). */
async function chunkedEvents(documents: CorpusDocument[], env: Record<string, string>) {
  const limits = loadConfig(limitsConfig, env);
  const events: { batch: ReturnType<typeof chunkBatches>[number]; chunks: number }[] = [];
  for (const d of documents) {
    const prepared = await prepareDocument({ bytes: Buffer.from(d.text), contentType: 'text/markdown', name: d.source }, limits);
    const document = { id: `bench-${events.length}`, version: prepared.version, sequence: clockSequence(), source: d.source, tenant: 'default', tags: [], groups: [], contentType: prepared.contentType, metadata: {} };
    for (const batch of chunkBatches(document, prepared.chunks, limits.CHUNKS_PER_EVENT)) events.push({ batch, chunks: batch.chunks.length });
  }
  return events;
}

async function embedAlone(embedUrl: string, documents: CorpusDocument[], env: Record<string, string>, concurrency: number) {
  const events = await chunkedEvents(documents, env);
  let chunks = 0;
  const started = performance.now();
  await eachConcurrently(events, concurrency, async ({ batch, chunks: n }) => {
    const event = makeEvent('dev.ragnative.document.chunked.v1', batch, { source: '/bench', subject: batch.document.id, traceparent: undefined });
    await callStep({ step: 'embed', url: embedUrl, event, expect: 'dev.ragnative.chunks.embedded.v1', timeoutMs: 120_000, signal: undefined });
    chunks += n;
  });
  return { chunks, seconds: (performance.now() - started) / 1000 };
}

/** Writes the corpus into the watched bucket and resolves once every document is indexed (any document.failed rejects). */
async function dropIntoBucket(bucket: string, documents: CorpusDocument[], listen: (listener: (record: BrokerRecord) => void) => void) {
  let indexed = 0;
  let chunks = 0;
  let failure: string | undefined;
  const done = new Promise<void>((resolve) => {
    listen((record) => {
      if (record.kind !== 'received') return;
      const data = record.event.data as { docId?: string; chunkCount?: number; reason?: string };
      if (record.event.type === 'dev.ragnative.document.failed.v1') failure ??= `${data.docId}: ${data.reason}`;
      if (record.event.type !== 'dev.ragnative.document.indexed.v1' || !data.docId?.startsWith('obj-')) return;
      indexed++;
      chunks += data.chunkCount ?? 0;
      if (indexed === documents.length || failure) resolve();
    });
  });
  const started = performance.now();
  await writeCorpus(bucket, documents);
  await done;
  if (failure) throw new Error(`bucket ingestion failed: ${failure}`);
  return { indexed, chunks, seconds: (performance.now() - started) / 1000 };
}

interface Asked {
  latencies: number[];
  /** What the search step reported waiting on Milvus for each answered question (timings.searchMilvusMs). */
  milvus: number[];
  failures: number;
}

/** POST /v1/query, one question at a time, about the bulk corpus. */
function askOneAtATime(url: string) {
  let n = 0;
  const once = async (asked: Asked) => {
    const i = n++;
    const query = `How many working days do requests from the ${CITIES[i % CITIES.length]} office take under the ${TOPICS[i % TOPICS.length]} policy?`;
    const started = performance.now();
    const response = await fetch(`${url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, topK: 5 }) }).catch(() => undefined);
    const body = response?.ok ? ((await response.json().catch(() => undefined)) as { timings?: Record<string, number> } | undefined) : await response?.arrayBuffer();
    if (response?.ok && body && 'timings' in body) {
      asked.latencies.push(performance.now() - started);
      if (typeof body.timings?.searchMilvusMs === 'number') asked.milvus.push(body.timings.searchMilvusMs);
    } else asked.failures++;
  };
  return {
    async times(count: number): Promise<Asked> {
      const asked: Asked = { latencies: [], milvus: [], failures: 0 };
      for (let i = 0; i < count; i++) await once(asked);
      return asked;
    },
    /** Asks until the work is done. */
    until<T>(work: Promise<T>): { work: Promise<T>; asked: Promise<Asked> } {
      let finished = false;
      const tracked = work.finally(() => (finished = true));
      const asked = (async () => {
        const result: Asked = { latencies: [], milvus: [], failures: 0 };
        while (!finished) await once(result);
        return result;
      })();
      return { work: tracked, asked };
    },
  };
}

function questionFigures(tag: { model: string; milvus: MilvusBackend }, phase: string, asked: Asked, extra: Record<string, number>): Figure[] {
  const params = { ...tag, phase, questions: asked.latencies.length + asked.failures, failed: asked.failures, ...extra };
  if (asked.latencies.length === 0) return [{ name: 'query_under_load_failed', unit: 'questions', value: asked.failures, params }];
  const s = summarize(asked.latencies);
  const milvus = asked.milvus.length > 0 ? [{ name: 'query_under_load_milvus_p50', unit: 'ms', value: round(summarize(asked.milvus).p50), params: { ...params, meaning: 'timings.searchMilvusMs' } }] : [];
  return [
    { name: 'query_under_load_p50', unit: 'ms', value: round(s.p50), params },
    { name: 'query_under_load_p95', unit: 'ms', value: round(s.p95), params },
    ...milvus,
  ];
}

export async function bulkIngestion(options: BulkOptions): Promise<Figure[]> {
  const { label, documents, work, concurrency, milvus } = options;
  const tag = { model: label, milvus };
  let onEvent: (record: BrokerRecord) => void = () => {};
  const stack = await startLocalStack({
    basePort: options.basePort,
    watchDir: join(work, 'bucket'),
    bucketManifest: join(work, 'bucket-manifest.json'),
    deadLetterFile: join(work, 'dead-letters.jsonl'),
    env: { ...options.env, EMBED_MODEL: options.modelDir, MILVUS_ADDRESS: MILVUS_ADDRESSES[milvus] },
    onBrokerEvent: (record) => onEvent(record),
  });
  const figures: Figure[] = [];
  const processes = stackProcesses(() => stack.pids(), await localMilvusPid(milvus));
  const rate = (path: string, { result, cpu }: { result: { chunks: number; seconds: number }; cpu: Record<string, number> }, documentCount: number | undefined) => {
    const params = { pipeline: 'ragnative', ...tag, path, documents: documentCount ?? documents.length, chunks: result.chunks, concurrency, seconds: round(result.seconds, 2) };
    if (documentCount !== undefined) figures.push({ name: 'bulk_documents_per_second', unit: 'documents/s', value: round(documentCount / result.seconds, 2), params });
    figures.push({ name: 'bulk_chunks_per_second', unit: 'chunks/s', value: round(result.chunks / result.seconds, 1), params }, ...cpuFigures(cpu, params));
  };
  try {
    rate(BULK_PATHS.embed, await measureCpu(processes, () => embedAlone(stack.urls.embed, documents, options.env, concurrency)), undefined);

    const folder = join(work, 'upload');
    await writeCorpus(folder, documents);
    const uploaded = await measureCpu(processes, () => ingestFolder(folder, { post: (path, init) => fetch(`${stack.url}${path}`, init), concurrency }));
    if (uploaded.result.failed > 0) throw new Error(`${uploaded.result.failed} uploads failed`);
    rate(BULK_PATHS.cli, uploaded, uploaded.result.done);
    await stack.broker.idle();

    const dropped = await measureCpu(processes, () => dropIntoBucket(join(work, 'bucket'), documents, (listener) => (onEvent = listener)));
    rate(BULK_PATHS.bucket, dropped, dropped.result.indexed);
    figures.push(...(await queryLatency(stack.url, 1, options.queries, { ...tag, corpus: 'bulk' })));

    if (options.questionsUnderLoad) {
      // Twice: as the local stack runs (ingestion niced), then with ingestion at
      // the questions' priority (lowering niceness needs privileges: skipped
      // without them). Each drop adds another copy of the corpus, and each is
      // compared with questions asked idle just before it.
      const ask = askOneAtATime(stack.url);
      for (const nice of [INGESTION_NICE, 0]) {
        try {
          stack.niceIngestion(nice);
        } catch (error) {
          console.error(JSON.stringify({ msg: 'bench.ingestion_priority_unchanged', nice, error: String(error) }));
          break;
        }
        const priority = { ingestionNice: nice };
        const settled = await milvusQuiet(milvus);
        const idle = await ask.times(options.questionsUnderLoad);
        const again = documents.map((d) => ({ ...d, source: d.source.replace(/^bulk\//, `bulk-nice-${nice}/`) }));
        const during = ask.until(dropIntoBucket(join(work, 'bucket'), again, (listener) => (onEvent = listener)));
        const [load, asked] = await Promise.all([during.work, during.asked]);
        figures.push(...questionFigures(tag, 'idle', idle, { ...priority, milvusSettledMs: settled }), ...questionFigures(tag, 'during a bucket drop', asked, priority));
        figures.push({ name: 'bulk_searchable_seconds', unit: 's', value: round(load.seconds, 1), params: { ...tag, documents: load.indexed, chunks: load.chunks, while: 'questions are asked one at a time', ...priority } });
      }
      stack.niceIngestion(INGESTION_NICE);
    }

    const after = `bulk ingestion, ${label}${milvus === 'lite' ? '' : `, Milvus ${milvus}`}`;
    for (const [name, pid] of Object.entries(stack.pids())) {
      figures.push(...(await peakRss({ [name]: pid }, after)));
      // Preparation workers are processes of their own.
      if (pid !== undefined) figures.push(...(await peakRss(Object.fromEntries(childPids(pid, 'preparation-worker').map((worker) => [`${name}: preparation worker`, worker])), after)));
    }
  } finally {
    await stack.stop();
  }
  return figures;
}

/**
 * Each ingestion path against the embed step alone (chunks/s, same model), and
 * against LangChain.js's bulk load (documents/s, same model) where it ran.
 */
export function bulkRatios(figures: Figure[]): Figure[] {
  const ratios: Figure[] = [];
  const stacks = new Map(figures.filter((f) => f.name === 'bulk_chunks_per_second').map((f) => [`${f.params.model}/${f.params.milvus}`, { model: f.params.model, milvus: f.params.milvus }]));
  for (const stack of stacks.values()) {
    const chunks = (path: string) => find(figures, 'bulk_chunks_per_second', { pipeline: 'ragnative', ...stack, path })?.value;
    const documents = (pipeline: string, path?: string) => find(figures, 'bulk_documents_per_second', { pipeline, ...stack, ...(path ? { path } : {}) })?.value;
    const embed = chunks(BULK_PATHS.embed);
    const langchain = documents('langchain');
    for (const path of [BULK_PATHS.cli, BULK_PATHS.bucket]) {
      const ours = chunks(path);
      if (embed && ours) ratios.push({ name: 'ratio_bulk_vs_embed_alone', unit: 'ratio', value: round(ours / embed, 2), params: { ...stack, path, meaning: 'ingestion chunks/s ÷ the embed step alone, chunks/s' } });
      const oursDocs = documents('ragnative', path);
      if (langchain && oursDocs) ratios.push({ name: 'ratio_bulk_vs_langchain', unit: 'ratio', value: round(oursDocs / langchain, 2), params: { ...stack, path, meaning: 'ragnative documents/s ÷ LangChain.js bulk load documents/s' } });
    }
  }
  return ratios;
}
