// The benchmark's CPU accounting: per-process CPU seconds from /proc during a
// piece of work, and the table that says where a load's CPU time went.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { cpuFigures, measureCpu, MILVUS_PROCESS } from '../../scripts/bench/process-cpu.ts';
import { cpuTable, queryCpuTable } from '../../scripts/bench/report-cpu.ts';

/** A process that burns CPU for `ms` milliseconds, then idles until killed. */
function burner(ms: number) {
  const child = spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end); process.stdout.write('done'); setInterval(() => {}, 1000);`]);
  const done = once(child.stdout, 'data');
  return { child, done };
}

test('measureCpu reports the CPU each group used during the work, counting late processes from zero', async () => {
  const idle = burner(0);
  await idle.done;
  let late: ReturnType<typeof burner> | undefined;
  try {
    const { result, cpu } = await measureCpu(
      () => ({ busy: late ? [late.child.pid!] : [], idle: [idle.child.pid!] }),
      async () => {
        late = burner(400);
        await late.done;
        return 'finished';
      },
    );
    assert.equal(result, 'finished');
    assert.ok(cpu.busy! >= 0.3 && cpu.busy! < 1.5, `the late burner used about 0.4 s: ${cpu.busy}`);
    assert.ok(cpu.idle! < 0.1, `the idle process used next to nothing: ${cpu.idle}`);
  } finally {
    idle.child.kill();
    late?.child.kill();
  }
});

test('the CPU table sums each load, folds the question-only functions and divides by wall time and documents', () => {
  const load = { pipeline: 'ragnative', model: 'glove', milvus: 'lite', path: 'bucket drop (event chain)', seconds: 10, documents: 100, chunks: 800 };
  const langchain = { pipeline: 'langchain', model: 'glove', milvus: 'lite', path: 'bulk load (one addDocuments call)', seconds: 2, documents: 100, chunks: 800 };
  const figures = [
    ...cpuFigures({ embed: 4, index: 3, search: 0.25, prompt: 0.25, [MILVUS_PROCESS]: 6, 'benchmark process': 2.5 }, load),
    ...cpuFigures({ 'LangChain.js (one process)': 1.5, [MILVUS_PROCESS]: 1 }, langchain),
  ];
  const { headers, rows } = cpuTable(figures, 2, { lite: 'Lite 3.2.2' });
  assert.deepEqual(headers, ['model', 'Milvus', 'path', 'wall s', 'CPU s', 'cores busy', 'CPU ms per document', 'Milvus server s', 'embed s', 'index s', 'search, prompt, generate s', 'benchmark process s', 'LangChain.js (one process) s']);
  assert.deepEqual(rows[0], ['glove', 'Lite 3.2.2', 'bucket drop (event chain)', 10, 16, '1.6 of 2', 160, 6, 4, 3, 0.5, 2.5, '–']);
  assert.deepEqual(rows[1], ['glove', 'Lite 3.2.2', 'LangChain.js: bulk load (one addDocuments call)', 2, 2.5, '1.25 of 2', 25, 1, '–', '–', '–', '–', 1.5]);
});

test('the per-question CPU table sums the functions, leaving out Milvus and the load generator', () => {
  const figure = (concurrency: number, process: string, value: number) => ({ name: 'query_cpu_ms_per_question', unit: 'ms', value, params: { concurrency, process, questions: 10 } });
  const figures = [figure(1, 'query', 4), figure(1, 'embed', 3.5), figure(1, MILVUS_PROCESS, 2), figure(1, 'benchmark process', 1), figure(8, 'query', 6), figure(8, 'embed', 4)];
  const { headers, rows, pipelineMs } = queryCpuTable(figures);
  assert.deepEqual(headers, ['process', 'concurrency 1: CPU ms per question', 'concurrency 8: CPU ms per question']);
  assert.deepEqual(rows[0], ['query', 4, 6]);
  assert.deepEqual(rows[2], [MILVUS_PROCESS, 2, '–']);
  assert.equal(pipelineMs(1), 7.5);
  assert.equal(pipelineMs(8), 10);
  assert.deepEqual(rows.at(-1), ['the functions together (not Milvus, not the load generator)', 7.5, 10]);
});
