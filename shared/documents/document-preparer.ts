// Runs document preparation (parse, redact, chunk) in a small pool of worker
// processes, so that a pathological document can neither stall a function's
// other requests nor take it down. Processes, not worker threads: a thread that
// runs out of heap can abort the whole process (seen on Node 24), a child
// process only itself.
//
// Each document gets PREPARE_TIMEOUT_MS, from when its worker is ready (loading
// the parsers is not the document's doing), and a heap of PREPARE_MAX_HEAP_MB.
// Past either, its worker is ended (a new one starts for the next document) and
// the document is refused as too complex: a permanent failure. Anything else
// going wrong (a worker that cannot start, dies of something else, or the
// function shutting down) is the platform's fault and retryable. At most
// PREPARE_QUEUE documents wait for a worker; more are refused (429) until one
// frees up, and a waiting document whose caller gave up is dropped.
import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LimitsConfig } from '../config/schemas.ts';
import { ProblemError } from '../errors/problem-error.ts';
import type { DocumentInput, PreparedDocument } from './prepared-document.ts';
import type { PreparationReply, PreparationRequest } from './preparation-worker.ts';

export interface DocumentPreparer {
  prepare(input: DocumentInput, signal?: AbortSignal): Promise<PreparedDocument>;
  close(): Promise<void>;
}

interface Task {
  input: DocumentInput;
  /** Set once the task was handed again to a new worker after its first one died. */
  retried?: boolean;
  resolve(prepared: PreparedDocument): void;
  reject(error: ProblemError): void;
}

/** A preparation worker: a child process (see above). */
type Worker = ChildProcess;

// The worker's file beside this one: .ts when run through tsx, .js when compiled.
const ENTRY = fileURLToPath(new URL(`./preparation-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
/** Loading the parsers takes about a second; far longer means the worker is stuck. */
const START_TIMEOUT_MS = 30_000;
const RETRY_AFTER_SECONDS = 5;

function spawn(maxHeapMb: number): Worker {
  const execArgv = [...(ENTRY.endsWith('.ts') ? ['--import', 'tsx'] : []), `--max-old-space-size=${maxHeapMb}`];
  return fork(ENTRY, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Idle workers must not keep the function's process alive, busy ones must. */
function hold(worker: Worker, held: boolean): void {
  const channel = worker.channel as { ref(): void; unref(): void } | undefined;
  if (held) {
    worker.ref();
    channel?.ref();
  } else {
    worker.unref();
    channel?.unref();
  }
}

const usable = (worker: Worker) => worker.connected && worker.exitCode === null && worker.signalCode === null;
const unavailable = (detail: string) => new ProblemError('step_unavailable', detail);
const tooComplex = (detail: string) => new ProblemError('document_too_complex', detail);

export function createDocumentPreparer(limits: LimitsConfig): DocumentPreparer {
  const idle: Worker[] = [];
  const queue: Task[] = [];
  const live = new Set<Worker>();
  const ready = new WeakSet<Worker>();
  let closed = false;

  const forget = (worker: Worker) => {
    live.delete(worker);
    const at = idle.indexOf(worker);
    if (at !== -1) idle.splice(at, 1);
  };

  const run = (worker: Worker, task: Task) => {
    hold(worker, true);
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: () => void, keep: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (keep && usable(worker) && !closed) {
        hold(worker, false);
        idle.push(worker);
      } else {
        forget(worker);
        worker.kill('SIGKILL');
      }
      outcome();
      dispatch();
    };
    const start = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(() => task.reject(tooComplex(`Preparing the document took longer than ${limits.PREPARE_TIMEOUT_MS} ms`)), false), limits.PREPARE_TIMEOUT_MS);
      worker.send({ input: task.input, limits } satisfies PreparationRequest);
    };
    const onMessage = (reply: PreparationReply) => {
      if ('ready' in reply) {
        ready.add(worker);
        return start();
      }
      finish(() => (reply.ok ? task.resolve(reply.prepared) : task.reject(new ProblemError(reply.code, reply.message))), true);
    };
    const onError = (error: Error) => finish(() => task.reject(unavailable(`The preparation worker failed: ${error.message.slice(0, 200)}`)), false);
    // V8 aborts a process out of heap (SIGABRT, or exit code 134 through a shell): that is the document's doing.
    // Any other death (an idle worker killed just before this task reached it) gets the task one more worker.
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ready.has(worker) && (signal === 'SIGABRT' || code === 134)) {
        return finish(() => task.reject(tooComplex(`Preparing the document needed more than ${limits.PREPARE_MAX_HEAP_MB} MB`)), false);
      }
      if (!task.retried && !closed) {
        task.retried = true;
        return finish(() => queue.unshift(task), false);
      }
      finish(() => task.reject(unavailable(`The preparation worker stopped (${signal ?? `exit code ${code}`})`)), false);
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    if (ready.has(worker)) start();
    else timer = setTimeout(() => finish(() => task.reject(unavailable('The preparation worker did not start')), false), START_TIMEOUT_MS);
  };

  const dispatch = () => {
    while (queue.length > 0 && !closed) {
      let worker = idle.pop();
      if (worker && !usable(worker)) {
        forget(worker);
        continue;
      }
      if (!worker) {
        if (live.size >= limits.PREPARE_WORKERS) return;
        try {
          worker = spawn(limits.PREPARE_MAX_HEAP_MB);
        } catch (error) {
          queue.shift()!.reject(unavailable(`The preparation worker cannot start: ${(error as Error).message}`));
          continue;
        }
        const spawned = worker;
        // An idle worker that dies is forgotten; a busy one's task is settled by run's handlers.
        spawned.on('error', () => {}).on('exit', () => forget(spawned)).on('disconnect', () => forget(spawned));
        live.add(spawned);
      }
      run(worker, queue.shift()!);
    }
  };

  return {
    prepare: (input, signal) =>
      new Promise<PreparedDocument>((resolve, reject) => {
        if (closed) return reject(unavailable('The function is shutting down'));
        if (queue.length >= limits.PREPARE_QUEUE) {
          const headers = { 'retry-after': String(RETRY_AFTER_SECONDS) };
          return reject(new ProblemError('rate_limited', `${queue.length} documents are waiting to be prepared: send this one again later`, { headers }));
        }
        const task: Task = { input, resolve, reject };
        queue.push(task);
        signal?.addEventListener('abort', () => {
          const at = queue.indexOf(task);
          if (at !== -1) queue.splice(at, 1); // not started: nobody is waiting for it any more
          reject(unavailable('The request was abandoned'));
        }, { once: true });
        dispatch();
      }),
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.reject(unavailable('The function is shutting down'));
      const workers = [...live];
      live.clear();
      idle.length = 0;
      await Promise.all(workers.map((worker) => new Promise((resolve) => {
        if (worker.exitCode !== null || worker.signalCode !== null) return resolve(undefined);
        worker.ref(); // an idle worker is unreferenced: keep the process up until its exit is seen
        worker.once('exit', resolve).kill('SIGKILL');
      })));
    },
  };
}
