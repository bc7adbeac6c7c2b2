// CPU time of processes, from /proc (Linux): what each process of a load used
// of the machine's cores while it ran, so a figure can say where the time went.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { childPids } from './peak-rss.ts';
import { round, type Figure } from './stats.ts';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds the process has used (user and system, all its threads), from /proc/<pid>/stat. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
}

/** The pid of the local Milvus server `scripts/milvus-local.sh` started for the backend, if one runs. */
export async function localMilvusPid(backend: 'lite' | 'standalone' = 'lite'): Promise<number | undefined> {
  const home = fileURLToPath(new URL(`../../.local/${backend === 'lite' ? 'milvus-lite' : 'milvus'}/`, import.meta.url));
  // Standalone: the launcher records the server binary's pid; Lite's launcher is the server.
  const pid = backend === 'lite' ? Number(await readFile(`${home}server.pid`, 'utf8').catch(() => '')) : Number((JSON.parse(await readFile(`${home}ports.json`, 'utf8').catch(() => '{}')) as { pid?: number }).pid);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Named groups of processes, asked again at each reading (a group may gain processes meanwhile). */
export type ProcessGroups = () => Record<string, number[]>;

async function reading(groups: Record<string, number[]>): Promise<Map<number, number>> {
  const seconds = new Map<number, number>();
  for (const pid of Object.values(groups).flat()) seconds.set(pid, await cpuSeconds(pid).catch(() => 0));
  return seconds;
}

/**
 * Runs the work and reports the CPU seconds each group used meanwhile. A process
 * that started during the work counts from zero; one that ended during it is not
 * counted (its time is gone with it).
 */
export async function measureCpu<T>(groups: ProcessGroups, work: () => Promise<T>): Promise<{ result: T; cpu: Record<string, number> }> {
  const before = await reading(groups());
  const result = await work();
  const now = groups();
  const after = await reading(now);
  const cpu = Object.fromEntries(Object.entries(now).map(([name, pids]) => [name, pids.reduce((sum, pid) => sum + Math.max(0, (after.get(pid) ?? 0) - (before.get(pid) ?? 0)), 0)]));
  return { result, cpu };
}

/** The name the Milvus server's CPU time is reported under. */
export const MILVUS_PROCESS = 'Milvus server';

/** One `bulk_cpu_seconds` figure per process group, with the load's params. */
export function cpuFigures(cpu: Record<string, number>, params: Figure['params']): Figure[] {
  return Object.entries(cpu).map(([process, seconds]) => ({ name: 'bulk_cpu_seconds', unit: 's', value: round(seconds, 2), params: { ...params, process } }));
}

/** Where a load's CPU time goes: each function with its preparation workers, Milvus, and this process. */
export function stackProcesses(pids: () => Record<string, number | undefined>, milvusPid: number | undefined): ProcessGroups {
  return () => ({
    ...Object.fromEntries(Object.entries(pids()).flatMap(([name, pid]) => (pid === undefined ? [] : [[name, [pid, ...childPids(pid, 'preparation-worker')]]]))),
    ...(milvusPid === undefined ? {} : { [MILVUS_PROCESS]: [milvusPid] }),
    'benchmark process': [process.pid],
  });
}
