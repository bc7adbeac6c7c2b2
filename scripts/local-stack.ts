// Runs every function as its own process, the way Knative runs one Service per
// function, wired to each other by URL; a local broker routing events by the
// Trigger manifests; and a watched folder as the local bucket. Used by
// `npm start` and the end-to-end tests. Functions that only ingest run at a
// lower CPU priority, so on a shared machine questions get the CPU first.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { getPriority, setPriority } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalBroker, type BrokerRecord, type LocalBroker } from './local-broker/broker.ts';
import type { DeliveryPolicy } from './local-broker/delivery-policy.ts';
import { watchFolder, type WatchedFolder } from './local-bucket/watch-folder.ts';

/** Each local process by its Knative Service name, and its port offset. */
export const FUNCTION_PORTS = { query: 0, embed: 1, search: 2, prompt: 3, generate: 4, index: 5, ingest: 6, rerank: 7, 'embed-gpu': 8 } as const;
/**
 * The function a process runs, where it is not the one its name says. The
 * Triggers send documents' chunks to the embed-gpu Service (knative/), the bulk
 * embedder; locally it runs the same embed function on the CPU, in a process of
 * its own, so a bulk load's embedding does not share a process with questions.
 */
const FUNCTION_TARGETS: Partial<Record<FunctionName, string>> = { 'embed-gpu': 'embed' };
const targetOf = (name: FunctionName) => FUNCTION_TARGETS[name] ?? name;
const BROKER_PORT_OFFSET = 9;
/** Each function's metrics port is its own port plus this (METRICS_PORT). */
const METRICS_PORT_OFFSET = 2000;
export type FunctionName = keyof typeof FUNCTION_PORTS;
/**
 * Functions on the ingestion path only. In a cluster each Service has CPU
 * requests and limits of its own; locally every process shares the machine, and
 * these run at niceness INGESTION_NICE (their preparation workers inherit it):
 * during a bulk load the question path and Milvus get the CPU first, and
 * ingestion takes what is left (BENCHMARKS.md measures both ways). `embed`
 * serves questions (and synchronous uploads, whose caller waits) and keeps the
 * normal priority; the bucket's documents are embedded by `embed-gpu`.
 */
export const INGESTION_FUNCTIONS: readonly FunctionName[] = ['ingest', 'embed-gpu', 'index'];
export const INGESTION_NICE = 10;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVE = fileURLToPath(new URL('../shared/runtime/serve-function.ts', import.meta.url));

export interface StackOptions {
  /** The public query URL's port; the other processes listen on the next ones (FUNCTION_PORTS). */
  basePort: number;
  env: Record<string, string | undefined>;
  /** The local bucket's folder (RAG_WATCH_DIR). */
  watchDir: string;
  /** Where the local bucket keeps what was present, to announce deletions made while the stack was down. */
  bucketManifest: string;
  deadLetterFile: string;
  brokerPolicy?: Partial<DeliveryPolicy>;
  onBrokerEvent?: (record: BrokerRecord) => void;
  /** Receives each process's output lines. */
  onLine?: (fn: FunctionName | 'broker' | 'bucket', line: string) => void;
}

export interface LocalStack {
  url: string;
  urls: Record<FunctionName, string>;
  /** Where each function serves its Prometheus metrics (not its public port). */
  metricsUrls: Record<FunctionName, string>;
  broker: LocalBroker;
  /** Each function's process id (for resource measurements). */
  pids(): Record<FunctionName, number | undefined>;
  /** Sets the niceness of INGESTION_FUNCTIONS (raising it needs no privilege; lowering it does). */
  niceIngestion(nice: number): void;
  /** Stops everything; calling it again waits for the same stop. */
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

export async function startLocalStack(options: StackOptions): Promise<LocalStack> {
  const { basePort, env, onLine } = options;
  // The optional rerank step runs (and the broker routes through it) only with a reranker to call.
  const rerank = Boolean(env.RERANK_URL);
  const names = (Object.keys(FUNCTION_PORTS) as FunctionName[]).filter((n) => n !== 'rerank' || rerank);
  const urls = Object.fromEntries(names.map((n) => [n, `http://127.0.0.1:${basePort + FUNCTION_PORTS[n]}`])) as Record<FunctionName, string>;
  const metricsPort = (n: FunctionName) => basePort + FUNCTION_PORTS[n] + METRICS_PORT_OFFSET;
  const metricsUrls = Object.fromEntries(names.map((n) => [n, `http://127.0.0.1:${metricsPort(n)}/metrics`])) as Record<FunctionName, string>;
  const broker = await startLocalBroker({
    port: basePort + BROKER_PORT_OFFSET,
    // Knative Service names from the manifests.
    subscribers: urls,
    deadLetterFile: options.deadLetterFile,
    optional: rerank ? ['rerank'] : [],
    ...(options.brokerPolicy ? { policy: options.brokerPolicy } : {}),
    ...(options.onBrokerEvent ? { onEvent: options.onBrokerEvent } : {}),
  });
  const watchDir = resolve(options.watchDir);
  const wiring = {
    // Every query process of one stack must share it; a fresh one per stack is enough locally.
    RAG_REPLY_SECRET: env.RAG_REPLY_SECRET ?? process.env.RAG_REPLY_SECRET ?? randomBytes(32).toString('hex'),
    EMBED_URL: urls.embed,
    SEARCH_URL: urls.search,
    PROMPT_URL: urls.prompt,
    GENERATE_URL: urls.generate,
    INDEX_URL: urls.index,
    ...(rerank ? { RERANK_STEP_URL: urls.rerank } : {}),
    K_SINK: broker.url,
    RAG_WATCH_DIR: watchDir,
  };
  const children = new Map<FunctionName, ChildProcess>();
  const niceIngestion = (nice: number) => {
    for (const name of INGESTION_FUNCTIONS) {
      const pid = children.get(name)?.pid;
      if (pid) setPriority(pid, nice);
    }
  };
  let bucket: WatchedFolder | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await bucket?.close();
      await Promise.all([...children.values()].map(stopChild));
      await broker.close();
    })());
  try {
    for (const name of names) {
      const child = spawn(process.execPath, ['--import', 'tsx', SERVE], {
        cwd: ROOT,
        env: { ...process.env, ...env, ...wiring, FUNCTION_TARGET: targetOf(name), PORT: String(basePort + FUNCTION_PORTS[name]), METRICS_PORT: String(metricsPort(name)) },
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
    // Never below the niceness the children inherited from this process: lowering it needs privileges.
    niceIngestion(Math.max(getPriority(), INGESTION_NICE));
    // Ready means ready: embed has loaded its model, and every function that uses
    // Milvus has its collection loaded, before the bucket announces anything.
    await Promise.all(names.map((name) => waitFor(`${urls[name]}/readyz`, children.get(name)!, targetOf(name) === 'embed' ? 120_000 : 60_000)));
    bucket = await watchFolder(watchDir, broker.url, env.LOCAL_BUCKET_NAME ?? 'local', options.bucketManifest, (error) =>
      onLine?.('bucket', JSON.stringify({ msg: 'bucket.event_failed', error: String((error as Error).message ?? error) })),
    );
    const pids = () => Object.fromEntries(names.map((n) => [n, children.get(n)?.pid])) as Record<FunctionName, number | undefined>;
    return { url: urls.query, urls, metricsUrls, broker, pids, niceIngestion, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
