// Waits until the local Milvus has finished its background work: after a burst
// of writes it seals, compacts and indexes segments for up to a minute, and
// questions asked meanwhile are not asked "idle". Quiet: the server used less
// than its idle share of a core for two seconds running (Lite: 5 %; standalone,
// whose coordinators tick on their own, about 6 % idle here: 15 %).
import { cpuSeconds, localMilvusPid } from './process-cpu.ts';

const IDLE_SHARE = { lite: 0.05, standalone: 0.15 };

/** Milliseconds waited; 0 where no local Milvus of that backend runs. */
export async function milvusQuiet(backend: 'lite' | 'standalone' = 'lite', timeoutMs = 120_000): Promise<number> {
  const pid = await localMilvusPid(backend);
  if (pid === undefined) return 0;
  const started = performance.now();
  let quietFor = 0;
  let before = await cpuSeconds(pid).catch(() => undefined);
  while (before !== undefined && quietFor < 2 && performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await cpuSeconds(pid).catch(() => undefined);
    quietFor = now !== undefined && now - before < IDLE_SHARE[backend] ? quietFor + 1 : 0;
    before = now;
  }
  return Math.round(performance.now() - started);
}
