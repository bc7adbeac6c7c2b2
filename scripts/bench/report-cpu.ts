// BENCHMARKS.md's "Where the CPU time went" table: the CPU seconds each process
// used during each bulk load (bulk_cpu_seconds), against what the cores offered.
import { MILVUS_PROCESS } from './process-cpu.ts';
import { round, type Figure } from './stats.ts';

/** Functions that only serve questions are idle during a load: one column for them. */
const QUESTION_ONLY = ['search', 'prompt', 'generate'];
const COLUMNS = [MILVUS_PROCESS, 'embed', 'embed-gpu', 'ingest', 'index', 'query', QUESTION_ONLY.join(', ')];

interface Load {
  pipeline: string;
  model: string;
  milvus: string;
  path: string;
  seconds: number;
  documents: number;
  chunks: number;
  cpu: Map<string, number>;
}

function loads(figures: Figure[]): Load[] {
  const byLoad = new Map<string, Load>();
  for (const f of figures.filter((f) => f.name === 'bulk_cpu_seconds')) {
    const { pipeline, model, milvus, path, seconds, documents, chunks, process } = f.params as Omit<Load, 'cpu'> & { process: string };
    const key = `${pipeline}/${model}/${milvus}/${path}`;
    const load = byLoad.get(key) ?? { pipeline, model, milvus, path, seconds, documents, chunks, cpu: new Map() };
    const column = QUESTION_ONLY.includes(process) ? COLUMNS.at(-1)! : process;
    load.cpu.set(column, (load.cpu.get(column) ?? 0) + f.value);
    byLoad.set(key, load);
  }
  return [...byLoad.values()];
}

/** Markdown rows: one per load, CPU seconds per process. */
export function cpuTable(figures: Figure[], cores: number, milvusLabels: Record<string, string>): { headers: string[]; rows: (string | number)[][] } {
  const all = loads(figures);
  const others = [...new Set(all.flatMap((l) => [...l.cpu.keys()]))].filter((name) => !COLUMNS.includes(name));
  const columns = [...COLUMNS, ...others].filter((name) => all.some((l) => l.cpu.has(name)));
  const rows = all.map((l) => {
    const total = [...l.cpu.values()].reduce((a, b) => a + b, 0);
    const perDocument = l.path.startsWith('embed step alone') ? '–' : round((total * 1000) / l.documents, 0);
    return [l.model, milvusLabels[l.milvus] ?? l.milvus, l.pipeline === 'langchain' ? `LangChain.js: ${l.path}` : l.path, round(l.seconds, 1), round(total), `${round(total / l.seconds, 2)} of ${cores}`, perDocument, ...columns.map((c) => (l.cpu.has(c) ? round(l.cpu.get(c)!) : '–'))];
  });
  return { headers: ['model', 'Milvus', 'path', 'wall s', 'CPU s', 'cores busy', 'CPU ms per document', ...columns.map((c) => `${c} s`)], rows };
}

/** CPU milliseconds per question by process (query_cpu_ms_per_question), one column per concurrency. */
export function queryCpuTable(figures: Figure[]): { headers: string[]; rows: (string | number)[][]; pipelineMs: (concurrency: number) => number | undefined } {
  const own = figures.filter((f) => f.name === 'query_cpu_ms_per_question');
  const concurrencies = [...new Set(own.map((f) => Number(f.params.concurrency)))].sort((a, b) => a - b);
  const processes = [...new Set(own.map((f) => String(f.params.process)))];
  const at = (process: string, concurrency: number) => own.find((f) => f.params.process === process && f.params.concurrency === concurrency)?.value;
  /** The functions' own CPU: everything but Milvus and the load generator. */
  const pipelineMs = (concurrency: number) => {
    const values = processes.filter((p) => p !== MILVUS_PROCESS && p !== 'benchmark process').map((p) => at(p, concurrency) ?? 0);
    return values.length === 0 ? undefined : round(values.reduce((a, b) => a + b, 0), 1);
  };
  const rows = processes.map((p) => [p, ...concurrencies.map((c) => at(p, c) ?? '–')]);
  rows.push(['the functions together (not Milvus, not the load generator)', ...concurrencies.map((c) => pipelineMs(c) ?? '–')]);
  return { headers: ['process', ...concurrencies.map((c) => `concurrency ${c}: CPU ms per question`)], rows, pipelineMs };
}
