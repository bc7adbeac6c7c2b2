import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServerTiming, parseServerTiming } from '../../shared/http/server-timing.ts';

test('sums each name over repeats and writes one entry per name, even when the work fails', async () => {
  const timing = createServerTiming();
  assert.equal(timing.header(), undefined);
  await timing.time('milvus', () => new Promise((resolve) => setTimeout(resolve, 20)));
  await timing.time('milvus', () => new Promise((resolve) => setTimeout(resolve, 20)));
  await assert.rejects(timing.time('model', () => Promise.reject(new Error('no'))));
  const parsed = parseServerTiming(timing.header()!);
  assert.deepEqual(Object.keys(parsed), ['milvus', 'model']);
  assert.ok(parsed.milvus! >= 38, `${parsed.milvus}`);
});

test('reads durations from headers other servers write, and ignores what it cannot read', () => {
  assert.deepEqual(parseServerTiming('db;desc="Database";dur=53.2, cache;desc="hit", app;dur=47, bad name;dur=1, x;dur=abc'), { db: 53.2, app: 47 });
  assert.deepEqual(parseServerTiming(null), {});
});
