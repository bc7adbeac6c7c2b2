// Uploads every document under a folder to POST /v1/documents, a few at a time,
// and reports progress with rates and an ETA. Used by `npm run cli -- ingest`
// and by the bulk-ingestion benchmark, so the benchmark times what users run.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { z } from 'zod';
import type { ApiSchemas } from '../../functions/query/api-schemas.ts';
import { byExtension } from '../../shared/documents/detect-format.ts';
import { eachConcurrently } from '../each-concurrently.ts';

type DocumentIndexed = z.output<ApiSchemas['documentIndexed']>;

/** Uploads in flight at once: enough to keep the embed step busy, well under the per-key limit of 8. */
export const DEFAULT_INGEST_CONCURRENCY = 4;

export interface IngestProgress {
  done: number;
  total: number;
  chunks: number;
  failed: number;
  seconds: number;
  /** The file that just finished ('' before the first). */
  last: string;
}

export interface IngestFolderOptions {
  /** POSTs one upload; may reject with a message fit for the user (a problem's code and detail). */
  post: (path: string, init: RequestInit) => Promise<Response>;
  /** Uploads in flight at once (the server embeds one batch at a time per instance; a few keep it busy). */
  concurrency: number;
  onProgress?: (progress: IngestProgress) => void;
  onWarning?: (source: string, warning: { code: string; detail: string }) => void;
  onError?: (source: string, error: Error) => void;
}

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) yield* files(path);
    else if (entry.isFile() && byExtension(entry.name)) yield path;
  }
}

export async function ingestFolder(folder: string, options: IngestFolderOptions): Promise<IngestProgress> {
  const root = resolve(folder);
  const paths: string[] = [];
  for await (const path of files(root)) paths.push(path);
  const started = performance.now();
  const state: IngestProgress = { done: 0, total: paths.length, chunks: 0, failed: 0, seconds: 0, last: '' };
  const report = (last: string) => {
    Object.assign(state, { done: state.done + 1, last, seconds: (performance.now() - started) / 1000 });
    options.onProgress?.({ ...state });
  };
  options.onProgress?.({ ...state });
  await eachConcurrently(paths, options.concurrency, async (path) => {
    const source = relative(root, path);
    try {
      // The file itself, as the body; the server finds its format from the name and the bytes.
      const init = { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: await readFile(path) };
      const response = await options.post(`/v1/documents?source=${encodeURIComponent(source)}`, init);
      if (!response.ok) throw new Error(`${response.status} ${(await response.text()).slice(0, 200)}`);
      const indexed = (await response.json()) as DocumentIndexed;
      state.chunks += indexed.chunks;
      for (const warning of indexed.warnings) options.onWarning?.(source, warning);
    } catch (error) {
      state.failed++;
      options.onError?.(source, error as Error);
    }
    report(source);
  });
  return { ...state, seconds: (performance.now() - started) / 1000 };
}

/** "[######........] 120/1000 · 35.2 docs/s · 181 chunks/s · ETA 25 s · wiki/a.md" */
export function progressLine({ done, total, chunks, seconds, last }: IngestProgress, width = 30): string {
  const filled = Math.round((done / Math.max(total, 1)) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
  if (done === 0 || seconds === 0) return bar;
  const docsPerSecond = done / seconds;
  const eta = done < total ? ` · ETA ${formatSeconds((total - done) / docsPerSecond)}` : '';
  return `${bar} · ${docsPerSecond.toFixed(1)} docs/s · ${Math.round(chunks / seconds)} chunks/s${eta} · ${last}`;
}

function formatSeconds(seconds: number): string {
  const s = Math.ceil(seconds);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
