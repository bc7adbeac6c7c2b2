// How the index step's writer groups batches, and how a failing group is taken
// apart. Ordering and idempotency against a real Milvus are in
// test/integration/index-ordering.test.ts; here the store is a recording fake.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBatchedWriter, GROUP_LIMITS, type BatchWrite } from '../../functions/index/batched-writer.ts';
import type { ChunkRow } from '../../shared/milvus/chunk-store.ts';

function write(id: string, chunks = 2): BatchWrite {
  const document = { id, tenant: 'default', version: 'v1', sequence: '0'.repeat(31) + '1' };
  const rows = Array.from({ length: chunks }, (_, i) => ({ id: `${id}:${i}`, doc_id: id }) as ChunkRow);
  return { collection: 'c', document, batch: { count: 1, totalChunks: chunks }, rows };
}

/** A store that records its upserts and refuses any that holds a row of `poisoned` (all, when `down`). */
function fakeStore({ poisoned = new Set<string>(), down = false } = {}) {
  const upserts: string[][] = [];
  return {
    upserts,
    store: {
      placesOf: async () => ({ rows: [], truncated: false }),
      count: async () => 0,
      deleteWhere: async () => {},
      upsert: async (_collection: string, rows: ChunkRow[]) => {
        upserts.push([...new Set(rows.map((r) => r.doc_id))]);
        if (down || rows.some((r) => poisoned.has(r.doc_id))) throw new Error('refused');
      },
    },
  };
}

describe('batched writer', () => {
  it('writes a batch at once when idle, and groups those that arrive meanwhile', async () => {
    const { store, upserts } = fakeStore();
    const writer = createBatchedWriter(store);
    const outcomes = await Promise.all(['a', 'b', 'c', 'd'].map((id) => writer.write(write(id))));
    assert.deepEqual(upserts, [['a'], ['b', 'c', 'd']]);
    assert.deepEqual(outcomes, ['a', 'b', 'c', 'd'].map(() => ({ kind: 'complete', stored: 2 })));
  });

  it('lets a batch Milvus refuses fail alone, not the batches grouped with it', async () => {
    const { store } = fakeStore({ poisoned: new Set(['bad']) });
    const writer = createBatchedWriter(store);
    const results = await Promise.allSettled(['first', 'x', 'bad', 'y'].map((id) => writer.write(write(id))));
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });

  it('fails the whole group after two failures in a row when Milvus itself is failing', async () => {
    const { store, upserts } = fakeStore({ down: true });
    const writer = createBatchedWriter(store);
    const results = await Promise.allSettled(['first', 'a', 'b', 'c', 'd', 'e'].map((id) => writer.write(write(id))));
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.equal(upserts.length, 1 + 1 + 2, 'the first alone, the group, then two alone');
  });

  it('keeps a group within its row bound', async () => {
    const { store, upserts } = fakeStore();
    const writer = createBatchedWriter(store);
    const big = Math.ceil(GROUP_LIMITS.rows * 0.75); // two of them exceed the bound
    await Promise.all([write('first'), write('big1', big), write('big2', big)].map((w) => writer.write(w)));
    assert.deepEqual(upserts, [['first'], ['big1'], ['big2']]);
  });
});
