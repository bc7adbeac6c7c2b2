// Peak resident memory of each function's process so far (Linux: VmHWM in
// /proc/<pid>/status), read after the load phases.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { round, type Figure } from './stats.ts';

/** The processes whose parent is `parent` and whose command line includes `command`, from /proc (Linux). */
export function childPids(parent: number, command: string): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((name) => {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === parent && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(command) ? [Number(name)] : [];
    } catch {
      return []; // gone meanwhile
    }
  });
}

export async function highWaterMarkKiB(pid: number | 'self'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmHWM for process ${pid}`);
  return Number(match[1]);
}

export async function peakRss(pids: Record<string, number | undefined>, after: string): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const [name, pid] of Object.entries(pids)) {
    if (pid === undefined) continue;
    figures.push({ name: 'peak_rss', unit: 'MiB', value: round((await highWaterMarkKiB(pid)) / 1024), params: { pipeline: 'ragnative', process: name, after } });
  }
  return figures;
}
