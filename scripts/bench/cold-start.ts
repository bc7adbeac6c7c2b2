// Cold start per function, the budget that matters for scale-to-zero: from
// process start to the first successful readiness answer (GET /readyz: for
// embed that includes loading the model, for query, search and index the first
// Milvus round trip), repeated, with a fresh process each time.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { round, summarize, type Figure } from './stats.ts';

const SERVE = fileURLToPath(new URL('../../shared/runtime/serve-function.ts', import.meta.url));
const FUNCTIONS = ['query', 'ingest', 'embed', 'search', 'prompt', 'generate', 'index'] as const;

async function once(name: string, port: number, env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE], { env: { ...process.env, ...env, FUNCTION_TARGET: name, PORT: String(port), LOG_LEVEL: 'silent' }, stdio: 'ignore' });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
      if (ready) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error(`${name} not ready after 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }
}

export async function coldStarts(env: Record<string, string>, repeats: number, port: number): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const name of FUNCTIONS) {
    const samples: number[] = [];
    for (let i = 0; i < repeats; i++) samples.push(await once(name, port, env));
    const s = summarize(samples);
    figures.push({ name: 'cold_start', unit: 'ms', value: round(s.p50), params: { function: name, repeats, min: round(s.min), max: round(s.max), until: 'GET /readyz answers 200', runtime: 'node --import tsx (TypeScript compiled at start)' } });
  }
  return figures;
}
