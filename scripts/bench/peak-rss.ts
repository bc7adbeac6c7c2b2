// Peak resident memory of each function's process so far (Linux: VmHWM in
// /proc/<pid>/status), read after the load phases.
import { readFile } from 'node:fs/promises';
import { round, type Figure } from './stats.ts';

async function highWaterMarkKiB(pid: number): Promise<number> {
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
