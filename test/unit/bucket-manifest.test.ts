// The local bucket's manifest: what was present, per folder, across restarts.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openBucketManifest } from '../../scripts/local-bucket/bucket-manifest.ts';

const work = await mkdtemp(join(tmpdir(), 'ragnative-manifest-'));
after(() => rm(work, { recursive: true, force: true }));

test('keeps the keys present for its folder, in a folder it creates', async () => {
  const file = join(work, 'state', 'manifest.json');
  const errors: unknown[] = [];
  const first = await openBucketManifest(file, '/data/bucket', (e) => errors.push(e));
  assert.deepEqual([...first.previous], []);
  first.present('a.md');
  first.present('b.md');
  first.gone('a.md');
  await first.flush();
  assert.deepEqual([...(await openBucketManifest(file, '/data/bucket', (e) => errors.push(e))).previous], ['b.md']);
  assert.deepEqual([...(await openBucketManifest(file, '/elsewhere', (e) => errors.push(e))).previous], [], 'another folder deletes nothing');
  assert.deepEqual(errors, []);
});

test('an unreadable manifest is reported and treated as empty, and the next write replaces it', async () => {
  const file = join(work, 'broken.json');
  await writeFile(file, '{"folder": "/data/bu');
  const errors: unknown[] = [];
  const manifest = await openBucketManifest(file, '/data/bucket', (e) => errors.push(e));
  assert.deepEqual([...manifest.previous], []);
  assert.match(String(errors[0]), /cannot be read/);
  manifest.present('c.md');
  await manifest.flush();
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { folder: '/data/bucket', keys: ['c.md'] });
});
