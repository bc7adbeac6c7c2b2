// Upload -> searchable and delete -> gone through the event chain: a file lands in
// the watched bucket (watcher -> broker -> ingest -> broker -> embed -> broker ->
// index), timed from the write until GET /v1/documents/{id} sees the change.
import { createHash } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { round, summarize, type Figure } from './stats.ts';

const POLL_MS = 25;

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export async function bucketLatency(url: string, watchDir: string, files: number): Promise<Figure[]> {
  const upload: number[] = [];
  const removal: number[] = [];
  for (let i = 0; i < files; i++) {
    const key = `bench-${Date.now()}-${i}.md`;
    const id = `obj-${createHash('sha256').update(`local/${key}`).digest('hex').slice(0, 24)}`;
    const status = async () => (await fetch(`${url}/v1/documents/${id}`)).status;
    let started = performance.now();
    await writeFile(join(watchDir, key), `# Note ${i}\n\nThe warehouse in Lyon ships order ${i} within two days.`);
    await until(async () => (await status()) === 200);
    upload.push(performance.now() - started);
    started = performance.now();
    await rm(join(watchDir, key));
    await until(async () => (await status()) === 404);
    removal.push(performance.now() - started);
  }
  const params = { files, pollMs: POLL_MS, settleMs: 300 };
  const up = summarize(upload);
  const down = summarize(removal);
  return [
    { name: 'upload_to_searchable_p50', unit: 'ms', value: round(up.p50), params },
    { name: 'upload_to_searchable_p95', unit: 'ms', value: round(up.p95), params },
    { name: 'delete_to_gone_p50', unit: 'ms', value: round(down.p50), params },
    { name: 'delete_to_gone_p95', unit: 'ms', value: round(down.p95), params },
  ];
}
