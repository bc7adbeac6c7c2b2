// Every bad input gets a clear RFC 9457 problem with a stable code, loses
// nothing already indexed, and crashes no process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { event, postEvent } from '../support/cloudevents.ts';
import { readJson } from '../support/read-json.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let docId: string;
let chunksBefore: number;

before(async () => {
  stack = await startTestStack(18490);
  const response = await postJson(`${stack.url}/v1/documents`, { source: 'keep.md', text: 'The ocean is blue. The forest is green.' });
  const created = await readJson(response);
  assert.equal(response.status, 200, JSON.stringify(created));
  docId = created.id;
  chunksBefore = created.chunks;
});
after(() => stack?.close());

async function expectProblem(response: Response, status: number, code: string) {
  assert.equal(response.status, status, `expected ${status} ${code}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const body = await readJson(response);
  assert.equal(body.code, code);
  assert.equal(body.status, status);
  return body;
}

const query = (body: unknown, headers: Record<string, string> = {}) => postJson(`${stack.url}/v1/query`, body, headers);

describe('bad input at the public URL', () => {
  it('rejects empty, blank and 100 KB queries', async () => {
    await expectProblem(await query({ query: '' }), 400, 'invalid_request');
    await expectProblem(await query({ query: '   ' }), 400, 'invalid_request');
    await expectProblem(await query({ query: 'word '.repeat(20_000) }), 400, 'invalid_request');
  });

  it('answers 422, not 500, for a question with no word the model knows', async () => {
    const body = await expectProblem(await query({ query: '!!! ???' }), 422, 'not_embeddable');
    assert.match(body.detail, /no word the embedding model/);
  });

  it('rejects topK 0 and 1000, and unknown fields', async () => {
    await expectProblem(await query({ query: 'ocean', topK: 0 }), 400, 'invalid_request');
    const body = await expectProblem(await query({ query: 'ocean', topK: 1000 }), 400, 'invalid_request');
    assert.equal(body.errors[0].path, 'topK');
    await expectProblem(await query({ query: 'ocean', expr: 'id != ""' }), 400, 'invalid_request');
    await expectProblem(await query({ query: 'ocean', filter: { tenant: 'a', where: 'x' } }), 400, 'invalid_request');
  });

  it('rejects the wrong content type, malformed JSON and non-UTF-8 bytes', async () => {
    await expectProblem(await fetch(`${stack.url}/v1/query`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'ocean' }), 415, 'unsupported_media_type');
    await expectProblem(await query('{"query": "ocean",'), 400, 'invalid_json');
    const bytes = Buffer.concat([Buffer.from('{"query":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    await expectProblem(await fetch(`${stack.url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes }), 400, 'invalid_encoding');
  });

  it('rejects a 20 MB document with 413', async () => {
    const text = 'ocean '.repeat((20 * 1024 * 1024) / 6);
    await expectProblem(await postJson(`${stack.url}/v1/documents`, { source: 'big.md', text }), 413, 'payload_too_large');
  });

  it('rejects bad documents and ids', async () => {
    await expectProblem(await postJson(`${stack.url}/v1/documents`, { source: 'x.md' }), 400, 'invalid_request');
    await expectProblem(await postJson(`${stack.url}/v1/documents`, { source: 'x.md', text: ' \n ' }), 400, 'invalid_request');
    await expectProblem(await postJson(`${stack.url}/v1/documents`, { id: 'bad id!', source: 'x.md', text: 'ok' }), 400, 'invalid_request');
    await expectProblem(await fetch(`${stack.url}/v1/documents/${encodeURIComponent('a"b')}`), 400, 'invalid_request');
    await expectProblem(await fetch(`${stack.url}/v1/documents/%E0%A4%A`), 400, 'invalid_request');
  });

  it('answers unknown routes and methods with problems', async () => {
    await expectProblem(await fetch(`${stack.url}/v2/nothing`), 404, 'not_found');
    await expectProblem(await fetch(`${stack.url}/v1/query`), 405, 'method_not_allowed');
  });
});

describe('bad events at the steps', () => {
  it('finds nothing, and creates nothing, for a model with no collection yet', async () => {
    const embedded = { queryId: 'q', query: 'x', topK: 3, filter: { tenant: 'default' }, model: 'never-indexed-model', dim: 3, vector: [1, 0, 0] };
    const response = await postEvent(stack.urls.search, event('dev.ragnative.query.embedded.v1', embedded));
    assert.equal(response.status, 200);
    assert.deepEqual((await readJson(response)).passages, []);
    const listed = await stack.milvus.listCollections();
    assert.ok(!listed.data.some((c: { name: string }) => c.name.includes('never_indexed')));
  });

  it('refuses a batch-mode CloudEvent and an event of the wrong type', async () => {
    const batch = JSON.stringify([event('dev.ragnative.query.received.v1', { queryId: 'q', query: 'x', topK: 1 }).toJSON()]);
    await expectProblem(await fetch(stack.urls.embed, { method: 'POST', headers: { 'content-type': 'application/cloudevents-batch+json' }, body: batch }), 415, 'batch_not_supported');
    await expectProblem(await postEvent(stack.urls.search, event('dev.ragnative.query.received.v1', { queryId: 'q', query: 'x', topK: 1 })), 422, 'unsupported_event_type');
  });

  it('refuses vectors of the wrong dimension at search and at index', async () => {
    const embedded = { queryId: 'q', query: 'x', topK: 3, filter: { tenant: 'default' }, model: 'ragnative-test-64d', dim: 3, vector: [1, 0, 0] };
    await expectProblem(await postEvent(stack.urls.search, event('dev.ragnative.query.embedded.v1', embedded)), 422, 'dimension_mismatch');
    const document = { id: docId, version: 'vX', sequence: 'f'.repeat(32), source: 'keep.md', tenant: 'default', tags: [], contentType: 'text/plain', metadata: {} };
    const chunks = { document, batch: { index: 0, count: 1, totalChunks: 1 }, chunks: [{ index: 0, text: 'x' }], model: 'ragnative-test-64d', dim: 3, vectors: [[1, 0, 0]] };
    await expectProblem(await postEvent(stack.urls.index, event('dev.ragnative.chunks.embedded.v1', chunks)), 422, 'dimension_mismatch');
    const uneven = { ...chunks, dim: 64, vectors: [Array(64).fill(0.1), Array(63).fill(0.1)] };
    await expectProblem(await postEvent(stack.urls.index, event('dev.ragnative.chunks.embedded.v1', uneven)), 422, 'invalid_event_data');
  });
});

describe('steps that trust less', () => {
  const vector = Array(64).fill(0.125);
  const question = { queryId: 'q', query: 'what color is the ocean', topK: 3, model: 'ragnative-test-64d', dim: 64, vector };

  it('search refuses a question bound to no tenant unless an operator asked it', async () => {
    await expectProblem(await postEvent(stack.urls.search, event('dev.ragnative.query.embedded.v1', { ...question, filter: {} })), 403, 'forbidden');
    const claimed = { ...question, filter: {}, principal: { id: 'key:someone', operator: false } };
    await expectProblem(await postEvent(stack.urls.search, event('dev.ragnative.query.embedded.v1', claimed)), 403, 'forbidden');
    const operator = { ...question, filter: {}, principal: { id: 'key:operator', operator: true } };
    assert.equal((await postEvent(stack.urls.search, event('dev.ragnative.query.embedded.v1', operator))).status, 200);
  });

  it('index refuses vectors of a model it was not configured for', async () => {
    const document = { id: docId, version: 'vM', sequence: 'f'.repeat(32), source: 'keep.md', tenant: 'default', tags: [], contentType: 'text/plain', metadata: {} };
    const chunks = { document, batch: { index: 0, count: 1, totalChunks: 1 }, chunks: [{ index: 0, text: 'x' }], model: 'some-other-model', dim: 64, vectors: [vector] };
    await expectProblem(await postEvent(stack.urls.index, event('dev.ragnative.chunks.embedded.v1', chunks)), 422, 'model_mismatch');
    const listed = await stack.milvus.listCollections();
    assert.ok(!listed.data.some((c: { name: string }) => c.name.includes('some_other_model')), 'no collection was created for it');
  });
});

describe('after all that', () => {
  it('lost nothing, and every process still answers', async () => {
    const status = await readJson(await fetch(`${stack.url}/v1/documents/${docId}`));
    assert.equal(status.chunks, chunksBefore);
    for (const url of Object.values(stack.urls)) assert.equal((await fetch(`${url}/healthz`)).status, 200, url);
    const answer = await readJson(await query({ query: 'what color is the ocean' }));
    assert.equal(answer.citations[0].docId, docId);
  });
});
