// Under at-least-once, reordered delivery the index converges on the newest
// version: redeliveries change nothing, older versions never overwrite newer
// ones, and a deletion is not undone by a late older event.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sequenceToken } from '../../shared/identity/sequence.ts';
import { event, postEvent } from '../support/cloudevents.ts';
import { objectDocId } from '../support/object-doc-id.ts';
import { readJson } from '../support/read-json.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
const DOC = 'ordered-doc';

/** chunks.embedded for version `version` at sequence `seq`, with real vectors from the embed step. */
async function embedded(version: string, seq: bigint, texts: string[], id = DOC, batch = { index: 0, count: 1, totalChunks: texts.length, first: 0 }) {
  const document = { id, version, sequence: sequenceToken(seq), source: 'ordered.md', tenant: 'default', tags: [], contentType: 'text/plain', metadata: {} };
  const { first, ...batchFields } = batch;
  const chunked = { document, batch: batchFields, chunks: texts.map((text, index) => ({ index: first + index, text })) };
  const response = await postEvent(stack.urls.embed, event('dev.ragnative.document.chunked.v1', chunked));
  assert.equal(response.status, 200);
  return readJson(response);
}

const index = (data: unknown) => postEvent(stack.urls.index, event('dev.ragnative.chunks.embedded.v1', data));
const status = async (id = DOC) => {
  const response = await fetch(`${stack.url}/v1/documents/${id}`);
  return response.status === 404 ? undefined : readJson(response);
};

before(async () => {
  stack = await startTestStack(18510);
});
after(() => stack?.close());

describe('index ordering and idempotency', () => {
  it('indexes a version and changes nothing when the same batch is redelivered', async () => {
    const v2 = await embedded('v2', 200n, ['the second version of the text', 'with two chunks']);
    assert.equal((await index(v2)).headers.get('ce-type'), 'dev.ragnative.document.indexed.v1');
    assert.equal((await index(v2)).status, 200);
    assert.deepEqual(await status().then((s) => [s.version, s.chunks]), ['v2', 2]);
  });

  it('never lets an older version overwrite a newer one', async () => {
    const v1 = await embedded('v1', 100n, ['the first version, three chunks', 'b', 'c']);
    assert.equal((await index(v1)).status, 202);
    assert.deepEqual(await status().then((s) => [s.version, s.chunks]), ['v2', 2]);
  });

  it('keeps a deleted document deleted when an older event arrives late', async () => {
    const deleted = await fetch(`${stack.url}/v1/documents/${DOC}`, { method: 'DELETE' }); // sequence: the clock, far above 200
    assert.equal(deleted.status, 200);
    assert.equal(await status(), undefined);
    const late = await embedded('v2', 200n, ['the second version of the text', 'with two chunks']);
    assert.equal((await index(late)).status, 202);
    assert.equal(await status(), undefined);
    const { body } = { body: await readJson(await fetch(`${stack.url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'second version text', filter: { docId: [DOC] } }) })) };
    assert.deepEqual(body.citations, []);
  });

  it('lets a newer version bring it back', async () => {
    const v9 = await embedded('v9', BigInt(Date.now() + 60_000) * 1_000_000n, ['the ninth version']);
    assert.equal((await index(v9)).status, 200);
    assert.deepEqual(await status().then((s) => [s.version, s.chunks]), ['v9', 1]);
  });
});

describe('late deletions', () => {
  it('do not weaken a newer deletion', async () => {
    const key = 'late-delete.txt';
    const id = objectDocId('local', key);
    const deleted = (seq: bigint) => postEvent(stack.urls.ingest, event('google.cloud.storage.object.v1.deleted', { bucket: 'local', name: key, generation: seq.toString() }));
    const newest = BigInt(Date.now() + 600_000) * 1_000_000n;
    assert.equal((await deleted(newest)).status, 202);
    assert.equal((await deleted(newest - 1_000_000_000n)).status, 202); // an older deletion, delivered late
    const between = await embedded('between', newest - 500_000_000n, ['written before the newest deletion'], id);
    assert.equal((await index(between)).status, 202, 'still older than the newest deletion');
    assert.equal((await fetch(`${stack.url}/v1/documents/${id}`)).status, 404);
  });
});

describe('concurrent writes (written in groups)', () => {
  it('index many documents at once, each once and completely', async () => {
    const batches = await Promise.all(Array.from({ length: 24 }, (_, i) => embedded('v1', 100n, [`burst note ${i}`, `second chunk of note ${i}`], `burst-${i}`)));
    const responses = await Promise.all(batches.map(index));
    assert.deepEqual(responses.map((r) => r.headers.get('ce-type')), batches.map(() => 'dev.ragnative.document.indexed.v1'));
    const chunkCounts = await Promise.all(responses.map(async (r) => (await readJson(r)).chunkCount));
    assert.deepEqual(chunkCounts, batches.map(() => 2));
    for (let i = 0; i < 24; i += 7) assert.deepEqual(await status(`burst-${i}`).then((s) => [s.version, s.chunks]), ['v1', 2]);
  });

  it('converge on the newest of concurrent versions of one document, redeliveries included', async () => {
    const id = 'raced-doc';
    const [v1, v2, v3] = await Promise.all([
      embedded('v1', 100n, ['first raced version', 'b', 'c'], id),
      embedded('v2', 200n, ['second raced version', 'b'], id),
      embedded('v3', 300n, ['third raced version', 'b', 'c', 'd'], id),
    ]);
    const responses = await Promise.all([v2, v3, v1, v3, v2].map(index));
    assert.ok(responses.every((r) => r.status === 200 || r.status === 202), responses.map((r) => r.status).join());
    assert.deepEqual(await status(id).then((s) => [s.version, s.chunks]), ['v3', 4]);
    const rows = await stack.milvus.query({ collection_name: (await status(id)).collection, filter: `doc_id == "${id}"`, output_fields: ['doc_version'] });
    assert.deepEqual([...new Set(rows.data.map((r) => r.doc_version))], ['v3'], 'no row of an older version is left');
  });

  it('report a version of several batches complete once, when its batches arrive together', async () => {
    const id = 'two-batch-doc';
    const first = await embedded('v1', 100n, ['batch one, chunk zero', 'batch one, chunk one'], id, { index: 0, count: 2, totalChunks: 3, first: 0 });
    const second = await embedded('v1', 100n, ['batch two, chunk two'], id, { index: 1, count: 2, totalChunks: 3, first: 2 });
    // Another document first keeps the writer busy, so that both batches wait and go in one group.
    const busy = await embedded('v1', 100n, ['a document written just before'], 'busy-doc');
    const responses = (await Promise.all([busy, second, first].map(index))).slice(1);
    const indexed = responses.filter((r) => r.headers.get('ce-type') === 'dev.ragnative.document.indexed.v1');
    assert.equal(indexed.length, 1, 'exactly one document.indexed');
    assert.equal((await readJson(indexed[0]!)).chunkCount, 3);
    assert.deepEqual(await status(id).then((s) => [s.version, s.chunks]), ['v1', 3]);
  });
});
