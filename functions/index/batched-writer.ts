// Writes embedded batches to Milvus in groups. While one group is being
// written, the batches that arrive wait and then go together as the next group,
// so under load a handful of Milvus calls serve many documents (an idle
// function writes each batch at once, alone). Each batch goes through the same
// steps as if it were written alone, and the steps of a group are the same
// calls with the documents' expressions joined by `||`:
//   1. skip it if any row of a later write of its document exists;
//   2. upsert its rows (deterministic ids: a redelivery rewrites the same rows);
//   3. count what its version has stored (a one-batch version: what was written);
//   4. once complete: remove the older writes' rows, and if a later write landed
//      meanwhile, remove its own (the newest wins, whatever the interleaving,
//      across groups and processes).
import { documentKey, type DocumentRef } from '../../shared/identity/document-id.ts';
import type { ChunkRow, ChunkStore } from '../../shared/milvus/chunk-store.ts';
import { documentFilter, isRowOf } from '../../shared/milvus/document-filters.ts';
import { anyOf } from '../../shared/milvus/filter-expression.ts';

export interface BatchWrite {
  collection: string;
  document: DocumentRef & { version: string; sequence: string };
  batch: { count: number; totalChunks: number };
  rows: ChunkRow[];
}

export type WriteOutcome =
  /** A later write of the document is stored: nothing was written. */
  | { kind: 'stale' }
  /** Stored; the version still misses batches. */
  | { kind: 'partial'; stored: number }
  /** Complete, but a later write landed meanwhile: its rows were removed again. */
  | { kind: 'superseded' }
  /** Complete and the newest: older writes' rows are gone. */
  | { kind: 'complete'; stored: number };

type WriterStore = Pick<ChunkStore, 'placesOf' | 'upsert' | 'count' | 'deleteWhere'>;

/** A group's bounds: rows per upsert, and documents per expression. */
export const GROUP_LIMITS = { rows: 2_048, batches: 64 };

interface Pending {
  write: BatchWrite;
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: unknown) => void;
}

/** For each write, whether a row of a later write of its document is stored. */
async function laterWritesExist(store: WriterStore, collection: string, writes: BatchWrite[]): Promise<boolean[]> {
  if (writes.length === 0) return [];
  const { rows, truncated } = await store.placesOf(collection, anyOf(...writes.map((w) => documentFilter.newerThan(w.document, w.document.sequence))));
  const found = writes.map((w) => rows.some((row) => isRowOf(w.document, row) && row.doc_seq > w.document.sequence));
  if (!truncated) return found;
  // More later rows than one query returns (rare: many large newer versions): ask per write what the window missed.
  return Promise.all(found.map(async (yes, i) => yes || (await store.count(collection, documentFilter.newerThan(writes[i]!.document, writes[i]!.document.sequence))) > 0));
}

async function writeGroup(store: WriterStore, collection: string, writes: BatchWrite[]): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = writes.map(() => ({ kind: 'stale' }));
  const stale = await laterWritesExist(store, collection, writes);
  const live = writes.map((write, i) => ({ write, i })).filter(({ i }) => !stale[i]);
  if (live.length === 0) return outcomes;
  // The same batch twice in one group (a redelivery) is one set of rows.
  const rows = new Map(live.flatMap(({ write }) => write.rows.map((row) => [row.id, row] as const)));
  await store.upsert(collection, [...rows.values()]);
  const stored = await Promise.all(
    live.map(({ write: { document, batch, rows } }) =>
      batch.count === 1 ? rows.length : store.count(collection, documentFilter.versionAt(document, document.version, document.sequence)),
    ),
  );
  // A write completes once: when several of its batches are in the group, the last one reports it.
  const completing = new Map<string, { write: BatchWrite; i: number; stored: number }>();
  live.forEach(({ write, i }, k) => {
    outcomes[i] = { kind: 'partial', stored: stored[k]! };
    const { document } = write;
    if (stored[k]! >= write.batch.totalChunks) completing.set(`${documentKey(document)}/${document.version}/${document.sequence}`, { write, i, stored: stored[k]! });
  });
  const complete = [...completing.values()];
  if (complete.length === 0) return outcomes;
  const [, superseded] = await Promise.all([
    store.deleteWhere(collection, anyOf(...complete.map(({ write: { document } }) => documentFilter.olderThan(document, document.sequence)))),
    laterWritesExist(store, collection, complete.map(({ write }) => write)),
  ]);
  // Only rows these writes still own: a later write of the same content has the same row ids and its own doc_seq.
  const lost = complete.filter((_, k) => superseded[k]);
  if (lost.length > 0) await store.deleteWhere(collection, anyOf(...lost.map(({ write: { document } }) => documentFilter.versionAt(document, document.version, document.sequence))));
  complete.forEach(({ i, stored: n }, k) => (outcomes[i] = superseded[k] ? { kind: 'superseded' } : { kind: 'complete', stored: n }));
  return outcomes;
}

/**
 * Writes a group; if that fails, writes its batches one by one, so that one
 * batch Milvus refuses fails alone rather than with every batch it was grouped
 * with. Two failures in a row mean Milvus itself is failing: the rest fail with
 * them (each batch's delivery is retried) without a call each.
 */
async function writeOrIsolate(store: WriterStore, collection: string, pending: Pending[]): Promise<void> {
  try {
    const outcomes = await writeGroup(store, collection, pending.map((p) => p.write));
    return pending.forEach((p, i) => p.resolve(outcomes[i]!));
  } catch (error) {
    if (pending.length === 1) return pending[0]!.reject(error);
  }
  let failedInARow = 0;
  for (const [i, p] of pending.entries()) {
    try {
      p.resolve((await writeGroup(store, collection, [p.write]))[0]!);
      failedInARow = 0;
    } catch (error) {
      p.reject(error);
      if (++failedInARow === 2) return pending.slice(i + 1).forEach((rest) => rest.reject(error));
    }
  }
}

/** Takes pending writes from the front of the queue up to the group's bounds (always at least one). */
function takeGroup(queue: Pending[]): Pending[] {
  let rows = 0;
  let n = 0;
  while (n < queue.length && n < GROUP_LIMITS.batches && (n === 0 || rows + queue[n]!.write.rows.length <= GROUP_LIMITS.rows)) rows += queue[n++]!.write.rows.length;
  return queue.splice(0, n);
}

export function createBatchedWriter(store: WriterStore) {
  const queue: Pending[] = [];
  let draining = false;

  const drain = async () => {
    draining = true;
    while (queue.length > 0) {
      const group = takeGroup(queue);
      const byCollection = new Map<string, Pending[]>();
      for (const p of group) byCollection.set(p.write.collection, [...(byCollection.get(p.write.collection) ?? []), p]);
      for (const [collection, pending] of byCollection) await writeOrIsolate(store, collection, pending);
    }
    draining = false;
  };

  return {
    write(write: BatchWrite): Promise<WriteOutcome> {
      return new Promise((resolve, reject) => {
        queue.push({ write, resolve, reject });
        if (!draining) void drain();
      });
    },
  };
}
