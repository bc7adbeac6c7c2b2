// The three charts BENCHMARKS.md shows, written next to results.json.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { barPanels, lineChart, type Series } from './charts.ts';
import { paramValues, value } from './figures.ts';
import type { Figure } from './stats.ts';

const STEPS = ['embed', 'search', 'prompt', 'generate'];
const PIPELINES = [
  { name: 'ragnative', params: { pipeline: 'ragnative' } },
  { name: 'LangChain, per document', params: { pipeline: 'langchain', ingest: 'per-document' } },
  { name: 'LangChain, bulk', params: { pipeline: 'langchain', ingest: 'bulk' } },
];

function latencyByConcurrency(figures: Figure[]): string {
  const concurrencies = paramValues(figures.filter((f) => f.params.pipeline === 'ragnative'), 'query_latency_p50', 'concurrency');
  const line = (name: string, figure: string, params: Record<string, unknown> = {}): Series => ({
    name,
    points: concurrencies.flatMap((c) => {
      const v = value(figures, figure, { ...params, concurrency: c });
      return v === undefined ? [] : [[c, v] as [number, number]];
    }),
  });
  return lineChart('POST /v1/query p50 latency by concurrency', 'concurrent clients', 'ms', [
    line('end to end', 'query_latency_p50', { pipeline: 'ragnative', corpus: 'comparison' }),
    ...STEPS.map((step) => line(step, `query_step_p50_${step}`, { corpus: 'comparison' })),
  ]);
}

function recallByEf(figures: Figure[]): string {
  const sizes = paramValues(figures, 'milvus_recall_at_10', 'vectors');
  const efs = paramValues(figures, 'milvus_recall_at_10', 'ef');
  return lineChart(
    'Milvus HNSW recall@10 by search ef',
    'ef',
    'recall@10',
    sizes.map((vectors) => ({ name: `${vectors.toLocaleString('en')} vectors`, points: efs.map((ef) => [ef, value(figures, 'milvus_recall_at_10', { vectors, ef }) ?? 0] as [number, number]) })),
  );
}

function versusLangChain(figures: Figure[]): string {
  const bars = (name: string, extra: Record<string, unknown> = {}) =>
    PIPELINES.flatMap((p) => {
      const v = value(figures, name, { ...p.params, ...extra });
      return v === undefined ? [] : [{ name: p.name, value: v }];
    });
  return barPanels('ragnative vs LangChain.js, same corpus, model, Milvus and LLM server', [
    { title: 'Ingestion, more is better', unit: 'documents/s', bars: bars('ingest_documents_per_second') },
    { title: 'Query p50 at concurrency 1, less is better', unit: 'ms', bars: bars('query_latency_p50', { concurrency: 1 }) },
  ]);
}

/** Writes the charts into dir and returns their paths. */
export async function writeCharts(dir: string, figures: Figure[]): Promise<string[]> {
  const charts: Record<string, string> = {
    'latency-by-concurrency.svg': latencyByConcurrency(figures),
    'recall-by-ef.svg': recallByEf(figures),
    'ragnative-vs-langchain.svg': versusLangChain(figures),
  };
  for (const [file, svg] of Object.entries(charts)) await writeFile(join(dir, file), svg);
  return Object.keys(charts).map((file) => join(dir, file));
}
