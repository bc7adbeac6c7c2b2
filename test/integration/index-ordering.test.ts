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
async function embedded(version: string, seq: bigint, texts: string[], id = DOC) {
  const document = { id, version, sequence: sequenceToken(seq), source: 'ordered.md', tenant: 'default', tags: [], contentType: 'text/plain', metadata: {} };
  const chunked = { document, batch: { index: 0, count: 1, totalChunks: texts.length }, chunks: texts.map((text, index) => ({ index, text })) };
  const response = await postEvent(stack.urls.embed, event('dev.ragnative.document.chunked.v1', chunked));
  assert.equal(response.status, 200);
  return readJson(response);
}

const index = (data: unknown) => postEvent(stack.urls.index, event('dev.ragnative.chunks.embedded.v1', data));
const status = async () => {
  const response = await fetch(`${stack.url}/v1/documents/${DOC}`);
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
