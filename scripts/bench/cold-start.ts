// Cold start per function, the budget that matters for scale-to-zero: from
// process start to the first successful readiness answer (GET /readyz: for
// embed that includes loading the model, for query, ingest, search and index
// Milvus answering and their collection loaded), repeated, with a fresh process
// each time. Measured three ways, one lever each: the TypeScript sources through
// tsx; JavaScript compiled file by file (tsc -p tsconfig.build.json, built
// here); and the bundle in dist/ that the images run (npm run build).
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { round, summarize, type Figure } from './stats.ts';

const FUNCTIONS = ['query', 'ingest', 'embed', 'search', 'prompt', 'generate', 'index'] as const;
const ROOT = new URL('../../', import.meta.url);
export const RUNTIMES = {
  tsx: ['--import', 'tsx', fileURLToPath(new URL('shared/runtime/serve-function.ts', ROOT))],
  'tsc per file': [fileURLToPath(new URL('.local/bench-per-file/shared/runtime/serve-function.js', ROOT))],
  bundled: [fileURLToPath(new URL('dist/serve-function.js', ROOT))],
} as const;
export type Runtime = keyof typeof RUNTIMES;

/** The file-by-file JavaScript that the 'tsc per file' runtime starts (the bundle is npm run build's). */
export async function compilePerFile(): Promise<void> {
  await promisify(execFile)(process.execPath, [fileURLToPath(new URL('node_modules/typescript/bin/tsc', ROOT)), '-p', 'tsconfig.build.json'], { cwd: fileURLToPath(ROOT), timeout: 300_000 });
}

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

/** `model` labels the embed function's figures (its readiness includes loading that model). */
export async function coldStarts(env: Record<string, string>, repeats: number, port: number, runtimes: Runtime[], model: string, functions: readonly string[] = FUNCTIONS): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const runtime of runtimes) {
    for (const name of functions) {
      const samples: number[] = [];
      for (let i = 0; i < repeats; i++) samples.push(await once(name, runtime, port, env));
      const s = summarize(samples);
      const params = { function: name, runtime, repeats, min: round(s.min), max: round(s.max), until: 'GET /readyz answers 200', ...(name === 'embed' ? { model } : {}) };
      figures.push({ name: 'cold_start', unit: 'ms', value: round(s.p50), params });
    }
  }
  return figures;
}

// The part of a Milvus function's start that no packaging removes: loading the
// Milvus SDK and constructing its client (the SDK builds its gRPC service
// definitions from the bundled proto descriptions in the constructor), then the
// first call. Each in a fresh process, from node_modules: loading is slower there
// than from the bundle, constructing runs the same code.
const MILVUS_CLIENT_START = `
const t0 = performance.now();
const { MilvusClient } = await import('@zilliz/milvus2-sdk-node');
const t1 = performance.now();
const client = new MilvusClient({ address: process.env.MILVUS_ADDRESS ?? '127.0.0.1:19530', logLevel: 'error', telemetry: { enabled: false } });
const t2 = performance.now();
await client.getVersion();
const t3 = performance.now();
console.log(JSON.stringify({ load: t1 - t0, construct: t2 - t1, firstCall: t3 - t2 }));
process.exit(0);`;

export async function milvusClientStart(repeats: number): Promise<Figure[]> {
  const samples: { load: number; construct: number; firstCall: number }[] = [];
  for (let i = 0; i < repeats; i++) {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', MILVUS_CLIENT_START], { cwd: fileURLToPath(ROOT), timeout: 60_000 });
    samples.push(JSON.parse(stdout));
  }
  return (['load', 'construct', 'firstCall'] as const).map((phase) => {
    const s = summarize(samples.map((sample) => sample[phase]));
    return { name: 'milvus_client_start', unit: 'ms', value: round(s.p50), params: { phase, repeats, min: round(s.min), max: round(s.max) } };
  });
}
