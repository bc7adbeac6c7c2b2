// Runs the LangChain.js pipeline (scripts/bench/langchain) in its own process on
// the same Milvus, model, corpus, questions, topK and LLM server as ragnative,
// and turns what it reports into figures. Its packages are installed here, from
// their own lock file, the first time; they never enter the product's tree.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { CorpusDocument } from './corpus.ts';
import type { LangChainJob, LangChainResult } from './langchain/contract.ts';
import { value } from './figures.ts';
import { cpuFigures, MILVUS_PROCESS } from './process-cpu.ts';
import { round, summarize, type Figure } from './stats.ts';

const run = promisify(execFile);
const DIR = fileURLToPath(new URL('./langchain/', import.meta.url));
export const CHARS_PER_TOKEN = 4;

export interface ComparisonInput extends Omit<LangChainJob, 'documents' | 'chunkChars' | 'overlapChars' | 'modes'> {
  documents: CorpusDocument[];
  /** ragnative's chunk budget in tokens; the splitter gets CHARS_PER_TOKEN characters per token. */
  chunkTokens: number;
  overlapTokens: number;
  workDir: string;
}

async function runPipeline(input: ComparisonInput, modes: LangChainJob['modes']): Promise<LangChainResult> {
  if (!existsSync(join(DIR, 'node_modules'))) await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: DIR, timeout: 600_000 });
  await run(process.execPath, [fileURLToPath(import.meta.resolve('typescript/bin/tsc')), '-p', DIR], { timeout: 120_000 }); // the root typecheck skips this folder
  const { workDir, chunkTokens, overlapTokens, ...rest } = input;
  const job: LangChainJob = { ...rest, modes, chunkChars: chunkTokens * CHARS_PER_TOKEN, overlapChars: overlapTokens * CHARS_PER_TOKEN };
  const jobFile = join(workDir, 'langchain-job.json');
  await writeFile(jobFile, JSON.stringify(job));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(DIR, 'pipeline.ts'), jobFile], { timeout: 1_200_000, maxBuffer: 64 * 2 ** 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as LangChainResult;
}

/** LangChain's bulk load (one addDocuments call) of the bulk-ingestion corpus, as bulk figures beside ragnative's. */
export async function runLangChainBulk(input: ComparisonInput, label: string, milvus: string): Promise<Figure[]> {
  const [bulk] = (await runPipeline(input, ['bulk'])).modes;
  const params = { pipeline: 'langchain', model: label, milvus, path: 'bulk load (one addDocuments call)', documents: bulk!.documents, chunks: bulk!.chunks, seconds: round(bulk!.ingestSeconds, 2) };
  const cpu = { 'LangChain.js (one process)': bulk!.ingestCpuSeconds.pipeline, ...(bulk!.ingestCpuSeconds.milvus === undefined ? {} : { [MILVUS_PROCESS]: bulk!.ingestCpuSeconds.milvus }) };
  return [
    { name: 'bulk_documents_per_second', unit: 'documents/s', value: round(bulk!.documents / bulk!.ingestSeconds, 2), params },
    { name: 'bulk_chunks_per_second', unit: 'chunks/s', value: round(bulk!.chunks / bulk!.ingestSeconds, 1), params },
    ...cpuFigures(cpu, params),
  ];
}

export async function runLangChain(input: ComparisonInput): Promise<Figure[]> {
  const result = await runPipeline(input, ['per-document', 'bulk']);
  const figures: Figure[] = [];
  for (const mode of result.modes) {
    const s = summarize(mode.queryLatenciesMs);
    const params = { pipeline: 'langchain', ingest: mode.mode, documents: mode.documents, chunks: mode.chunks, queries: mode.queryLatenciesMs.length, topK: input.topK };
    figures.push(
      { name: 'ingest_documents_per_second', unit: 'documents/s', value: round(mode.documents / mode.ingestSeconds, 2), params },
      { name: 'ingest_chunks_per_second', unit: 'chunks/s', value: round(mode.chunks / mode.ingestSeconds, 1), params },
      { name: 'query_latency_p50', unit: 'ms', value: round(s.p50), params: { ...params, concurrency: 1 } },
      { name: 'query_latency_p95', unit: 'ms', value: round(s.p95), params: { ...params, concurrency: 1 } },
    );
  }
  figures.push({ name: 'peak_rss', unit: 'MiB', value: round(result.peakRssBytes / 2 ** 20), params: { pipeline: 'langchain', process: 'the whole pipeline (one process)' } });
  return figures;
}

/** ragnative against each LangChain run as ratios; above 1 means ragnative did better. */
export function comparisonRatios(figures: Figure[]): Figure[] {
  const ours = { ingest: value(figures, 'ingest_documents_per_second', { pipeline: 'ragnative' }), query: value(figures, 'query_latency_p50', { pipeline: 'ragnative', corpus: 'comparison', concurrency: 1 }) };
  return (['per-document', 'bulk'] as const).flatMap((ingest) => {
    const theirs = { ingest: value(figures, 'ingest_documents_per_second', { pipeline: 'langchain', ingest }), query: value(figures, 'query_latency_p50', { pipeline: 'langchain', ingest }) };
    if (!ours.ingest || !ours.query || !theirs.ingest || !theirs.query) return [];
    return [
      { name: 'ratio_ingest_throughput_vs_langchain', unit: 'ratio', value: round(ours.ingest / theirs.ingest, 2), params: { langchainIngest: ingest, meaning: 'ragnative documents/s ÷ LangChain documents/s' } },
      { name: 'ratio_query_latency_vs_langchain', unit: 'ratio', value: round(theirs.query / ours.query, 2), params: { langchainIngest: ingest, meaning: 'LangChain p50 ms ÷ ragnative p50 ms at concurrency 1' } },
    ];
  });
}
