// Waits until the local Milvus Lite has finished its background work: after a
// burst of writes it seals, compacts and indexes segments on a thread of its
// own for up to a minute, and questions asked meanwhile are not asked "idle".
// Quiet: the server used under 5 % of a core for two seconds running.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const PID_FILE = fileURLToPath(new URL('../../.local/milvus-lite/server.pid', import.meta.url));
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds the process has used (user and system), from /proc/<pid>/stat. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
}

/** Milliseconds waited; 0 where no local Milvus Lite runs (its pid file is absent). */
export async function milvusQuiet(timeoutMs = 120_000): Promise<number> {
  const pid = Number(await readFile(PID_FILE, 'utf8').catch(() => ''));
  if (!pid) return 0;
  const started = performance.now();
  let quietFor = 0;
  let before = await cpuSeconds(pid).catch(() => undefined);
  while (before !== undefined && quietFor < 2 && performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await cpuSeconds(pid).catch(() => undefined);
    quietFor = now !== undefined && now - before < 0.05 ? quietFor + 1 : 0;
    before = now;
  }
  return Math.round(performance.now() - started);
}
