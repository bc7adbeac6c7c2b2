// Cold start per function, the budget that matters for scale-to-zero: from
// process start to the first successful readiness answer (GET /readyz: for
// embed that includes loading the model, for query, search and index the first
// Milvus round trip), repeated, with a fresh process each time. Measured for the
// TypeScript sources through tsx and for the compiled JavaScript in dist/ that
// the images run (npm run build).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { round, summarize, type Figure } from './stats.ts';

const FUNCTIONS = ['query', 'ingest', 'embed', 'search', 'prompt', 'generate', 'index'] as const;
export const RUNTIMES = {
  tsx: ['--import', 'tsx', fileURLToPath(new URL('../../shared/runtime/serve-function.ts', import.meta.url))],
  compiled: [fileURLToPath(new URL('../../dist/shared/runtime/serve-function.js', import.meta.url))],
} as const;
export type Runtime = keyof typeof RUNTIMES;

async function once(name: string, runtime: Runtime, port: number, env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [...RUNTIMES[runtime]], { env: { ...process.env, ...env, FUNCTION_TARGET: name, PORT: String(port), LOG_LEVEL: 'silent' }, stdio: 'ignore' });
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

export async function coldStarts(env: Record<string, string>, repeats: number, port: number, runtimes: Runtime[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const runtime of runtimes) {
    for (const name of FUNCTIONS) {
      const samples: number[] = [];
      for (let i = 0; i < repeats; i++) samples.push(await once(name, runtime, port, env));
      const s = summarize(samples);
      figures.push({ name: 'cold_start', unit: 'ms', value: round(s.p50), params: { function: name, runtime, repeats, min: round(s.min), max: round(s.max), until: 'GET /readyz answers 200' } });
    }
  }
  return figures;
}
