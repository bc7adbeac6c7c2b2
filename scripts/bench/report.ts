// BENCHMARKS.md from the figures of one run.
import { writeFile } from 'node:fs/promises';
import type { Figure } from './stats.ts';

interface Run {
  quick: boolean;
  machine: Record<string, unknown>;
  figures: Figure[];
}

const find = (figures: Figure[], name: string, params: Record<string, unknown> = {}) =>
  figures.find((f) => f.name === name && Object.entries(params).every(([k, v]) => f.params[k] === v));

function table(headers: string[], rows: (string | number | undefined)[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map((c) => c ?? '–').join(' | ')} |`)].join('\n');
}

export async function writeReport(path: string, { quick, machine, figures }: Run): Promise<void> {
  const embedding = figures.filter((f) => f.name === 'embedding_throughput');
  const concurrencies = [...new Set(figures.filter((f) => f.name === 'query_latency_p50').map((f) => f.params.concurrency as number))];
  const steps = ['embed', 'search', 'prompt', 'generate'];
  const v = (name: string, params: Record<string, unknown> = {}) => find(figures, name, params)?.value;
  const ingest = find(figures, 'ingest_chunks_per_second');
  const text = `# Benchmarks

Produced by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}; machine-readable
figures in \`bench/results.json\`. Re-run it to replace both files.

Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, Milvus ${machine.milvus}.
No GPU. Every function runs as its own process on the same 2 cores as Milvus and the
load generator, so figures include their contention. The local Milvus runs with a
50 ms proxy time tick (\`scripts/milvus-server.py\`): Strong-consistency reads wait for
the next tick, and the index step makes several per batch.

## Embedding throughput (in process, production embedder, CPU, fp32)

Sentences of ${embedding[0]?.params.words ?? '?'} words; median of ${embedding[0]?.params.repeats ?? '?'} runs after a warm-up (min and p95 of the rates in \`results.json\`).

${table(['model', 'batch', 'texts/s'], embedding.map((f) => [String(f.params.model), String(f.params.batch), f.value]))}

\`glove-6b-100d\` and \`ragnative-test-64d\` are word-lookup models (one Gather per
token): these rates are tokenizer- and runtime-bound and say nothing about a
transformer such as all-MiniLM-L6-v2, which was not available offline.

## Synchronous \`POST /v1/query\`

The LLM is a local OpenAI-compatible server that answers at once, so this is the
pipeline's own overhead: four HTTP hops carrying CloudEvents, one embedding, one
Milvus search with Strong consistency, prompt building. Corpus: the ingested
documents below. Authentication is off and the per-key concurrency limit raised,
so that concurrency 32 measures the pipeline, not the limit (8 by default).

${table(['concurrency', 'p50 ms', 'p95 ms', 'queries/s', ...steps.map((s) => `${s} p50 ms`)], concurrencies.map((c) => [c, v('query_latency_p50', { concurrency: c }), v('query_latency_p95', { concurrency: c }), v('query_throughput', { concurrency: c }), ...steps.map((s) => v(`query_step_p50_${s}`, { concurrency: c }))]))}

## Ingestion

- Synchronous \`POST /v1/documents\`: ${v('ingest_documents_per_second')} documents/s, ${ingest?.value} chunks/s (${ingest?.params.documents} documents, ${ingest?.params.chunks} chunks, one at a time).
- Through the event chain (a file written into the watched bucket; watcher → broker → ingest → broker → embed → broker → index), timed until \`GET /v1/documents/{id}\` answers, polled every ${find(figures, 'upload_to_searchable_p50')?.params.pollMs} ms, over ${find(figures, 'upload_to_searchable_p50')?.params.files} files one after another. The watcher waits ${find(figures, 'upload_to_searchable_p50')?.params.settleMs} ms for a file to settle; that wait is included.

${table(['', 'p50 ms', 'p95 ms'], [['upload → searchable', v('upload_to_searchable_p50'), v('upload_to_searchable_p95')], ['delete → gone', v('delete_to_gone_p50'), v('delete_to_gone_p95')]])}

## Cold start per function

Process start to the first 200 from \`GET /readyz\` (for embed: the model is loaded;
for query, ingest, search and index: Milvus answered), a fresh process each time,
median of ${find(figures, 'cold_start')?.params.repeats ?? '?'}. TypeScript is compiled by tsx at start, as the images run it.

${table(['function', 'p50 ms', 'min ms', 'max ms'], figures.filter((f) => f.name === 'cold_start').map((f) => [String(f.params.function), f.value, String(f.params.min), String(f.params.max)]))}

## Not measured yet

Milvus recall and latency at 10k–1M vectors, peak memory, a LangChain.js
comparison, charts, and a transformer-sized model's throughput.
`;
  await writeFile(path, text);
}
