// Runs every function as its own process, the way Knative runs one Service per
// function, wired to each other by URL. Used by `npm start`, the end-to-end
// tests and the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const FUNCTION_PORTS = { query: 0, embed: 1, search: 2, prompt: 3, generate: 4, index: 5 } as const;
export type FunctionName = keyof typeof FUNCTION_PORTS;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVE = fileURLToPath(new URL('../shared/runtime/serve-function.ts', import.meta.url));

export interface StackOptions {
  /** The public query URL's port; the steps listen on the next five. */
  basePort: number;
  env: Record<string, string | undefined>;
  /** Receives each process's output lines. */
  onLine?: (fn: FunctionName, line: string) => void;
}

export interface LocalStack {
  url: string;
  urls: Record<FunctionName, string>;
  stop(): Promise<void>;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} exited with code ${child.exitCode} during start`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startLocalStack({ basePort, env, onLine }: StackOptions): Promise<LocalStack> {
  const names = Object.keys(FUNCTION_PORTS) as FunctionName[];
  const urls = Object.fromEntries(names.map((n) => [n, `http://127.0.0.1:${basePort + FUNCTION_PORTS[n]}`])) as Record<FunctionName, string>;
  const wiring = { EMBED_URL: urls.embed, SEARCH_URL: urls.search, PROMPT_URL: urls.prompt, GENERATE_URL: urls.generate, INDEX_URL: urls.index };
  const children = new Map<FunctionName, ChildProcess>();
  const stop = async () => void (await Promise.all([...children.values()].map(stopChild)));
  try {
    for (const name of names) {
      const child = spawn(process.execPath, ['--import', 'tsx', SERVE], {
        cwd: ROOT,
        env: { ...process.env, ...env, ...wiring, FUNCTION_TARGET: name, PORT: String(basePort + FUNCTION_PORTS[name]) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.set(name, child);
      for (const stream of [child.stdout, child.stderr]) {
        let rest = '';
        stream?.on('data', (chunk: Buffer) => {
          const lines = (rest + chunk.toString('utf8')).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) if (line) onLine?.(name, line);
        });
      }
    }
    await Promise.all(names.map((name) => waitFor(`${urls[name]}/healthz`, children.get(name)!, 60_000)));
    await waitFor(`${urls.embed}/readyz`, children.get('embed')!, 120_000); // loads the model now, not on the first question
    return { url: urls.query, urls, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
