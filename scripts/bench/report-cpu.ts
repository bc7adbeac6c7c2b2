// BENCHMARKS.md's "Where the CPU time went" table: the CPU seconds each process
// used during each bulk load (bulk_cpu_seconds), against what the cores offered.
import { MILVUS_PROCESS } from './process-cpu.ts';
import type { Figure } from './stats.ts';

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

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

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
