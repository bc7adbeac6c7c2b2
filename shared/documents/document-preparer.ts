// Runs document preparation (parse, redact, chunk) in a small pool of worker
// processes, so that a pathological document can neither stall a function's
// other requests nor take it down: each document gets PREPARE_TIMEOUT_MS and a
// heap of PREPARE_MAX_HEAP_MB; past either its worker is ended (and replaced on
// the next document) and the document is refused as too complex, a permanent
// failure. Processes, not worker threads: a thread that runs out of heap can
// abort the whole process (seen on Node 24), a child process only itself. Documents beyond PREPARE_WORKERS wait their turn in order. The time
// limit starts when the worker is ready: loading its modules is not the
// document's doing.
import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LimitsConfig } from '../config/schemas.ts';
import { ProblemError } from '../errors/problem-error.ts';
import type { DocumentInput, PreparedDocument } from './prepare-document.ts';
import type { PreparationReply, PreparationRequest } from './preparation-worker.ts';

export interface DocumentPreparer {
  prepare(input: DocumentInput): Promise<PreparedDocument>;
  close(): Promise<void>;
}

interface Task {
  input: DocumentInput;
  resolve(prepared: PreparedDocument): void;
  reject(error: ProblemError): void;
}

// The worker's file beside this one: .ts when run through tsx, .js when compiled.
const ENTRY = fileURLToPath(new URL(`./preparation-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** A preparation worker: a child process (see above). */
type Worker = ChildProcess;

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

export function createDocumentPreparer(limits: LimitsConfig): DocumentPreparer {
  const idle: Worker[] = [];
  const queue: Task[] = [];
  const live = new Set<Worker>();
  const ready = new WeakSet<Worker>();

  const run = (worker: Worker, task: Task) => {
    hold(worker, true);
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: () => void, keep: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (keep) {
        hold(worker, false);
        idle.push(worker);
      } else {
        live.delete(worker);
        worker.kill('SIGKILL');
      }
      outcome();
      dispatch();
    };
    const refuse = (detail: string) => () => task.reject(new ProblemError('document_too_complex', detail));
    const start = () => {
      timer = setTimeout(() => finish(refuse(`Preparing the document took longer than ${limits.PREPARE_TIMEOUT_MS} ms`), false), limits.PREPARE_TIMEOUT_MS);
      worker.send({ input: task.input, limits } satisfies PreparationRequest);
    };
    const onMessage = (reply: PreparationReply) => {
      if ('ready' in reply) {
        ready.add(worker);
        return start();
      }
      finish(() => (reply.ok ? task.resolve(reply.prepared) : task.reject(new ProblemError(reply.code, reply.message))), true);
    };
    const onError = (error: Error) => finish(refuse(`Preparing the document failed: ${error.message.slice(0, 200)}`), false);
    // V8 aborts a process out of heap (SIGABRT, or exit code 134 through a shell).
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(refuse(signal === 'SIGABRT' || code === 134
        ? `Preparing the document needed more than ${limits.PREPARE_MAX_HEAP_MB} MB`
        : 'The preparation worker stopped'), false);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    if (ready.has(worker)) start();
  };

  const dispatch = () => {
    while (queue.length > 0) {
      let worker = idle.pop();
      if (!worker) {
        if (live.size >= limits.PREPARE_WORKERS) return;
        const spawned = spawn(limits.PREPARE_MAX_HEAP_MB);
        // An idle worker that dies is forgotten; a busy one's task is refused by run's handlers.
        spawned.on('error', () => {}).on('exit', () => {
          live.delete(spawned);
          const at = idle.indexOf(spawned);
          if (at !== -1) idle.splice(at, 1);
        });
        live.add(spawned);
        worker = spawned;
      }
      run(worker, queue.shift()!);
    }
  };

  return {
    prepare: (input) =>
      new Promise<PreparedDocument>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        dispatch();
      }),
    async close() {
      for (const task of queue.splice(0)) task.reject(new ProblemError('step_unavailable', 'The function is shutting down'));
      const workers = [...live];
      live.clear();
      idle.length = 0;
      await Promise.all(workers.map((worker) => new Promise((resolve) => {
        if (worker.exitCode !== null || worker.signalCode !== null) return resolve(undefined);
        worker.once('exit', resolve).kill('SIGKILL');
      })));
    },
  };
}
