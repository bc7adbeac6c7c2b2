// The CloudEvents contract every step shares, exercised on the prompt function
// over functions-framework's real HTTP server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPromptRoutes } from '../../functions/prompt/handler.ts';
import { createEventFunction } from '../../shared/http/event-function.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { event, postEvent, replyEvent, TRACEPARENT } from '../support/cloudevents.ts';
import { serveHandler, type ServedFunction } from '../support/function-server.ts';
import { readJson } from '../support/read-json.ts';

const logger = createLogger({}, () => {});
const retrieved = {
  queryId: 'q-1',
  query: 'How long do refunds take?',
  topK: 3,
  filter: {},
  model: 'm',
  retrieval: { mode: 'dense' },
  passages: [{ id: 'd:v:0', docId: 'd', source: 'd.md', chunkIndex: 0, score: 0.9, text: 'Refunds take five days.' }],
};
const RETRIEVED = 'dev.ragnative.query.retrieved.v1';
let fn: ServedFunction;

before(async () => {
  fn = await serveHandler('prompt-contract', createEventFunction({ name: 'prompt', routes: createPromptRoutes({ tokenBudget: 2000, minScore: 0.2 }), logger }));
});
after(() => fn.close());

async function expectProblem(response: Response, status: number, code: string) {
  assert.equal(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const body = await readJson(response);
  assert.equal(body.code, code);
  assert.equal(body.status, status);
  assert.equal(typeof body.title, 'string');
  assert.equal(body.retryable, status >= 500 || status === 429);
  return body;
}

describe('CloudEvents adapter', () => {
  it('replies 200 with the next event in binary mode, stamped and traced', async () => {
    const response = await postEvent(fn.url, event(RETRIEVED, retrieved));
    assert.equal(response.status, 200);
    const reply = await replyEvent(response);
    assert.equal(reply.type, 'dev.ragnative.prompt.built.v1');
    assert.equal(reply.headers.get('ce-specversion'), '1.0');
    assert.equal(reply.headers.get('ce-source'), '/ragnative/prompt');
    assert.equal(reply.headers.get('ce-subject'), 'q-1');
    assert.equal(reply.headers.get('ce-traceparent'), TRACEPARENT);
    assert.ok(reply.headers.get('ce-id'));
    assert.equal(reply.data.citations[0].n, 1);
  });

  it('accepts structured mode', async () => {
    const response = await postEvent(fn.url, event(RETRIEVED, retrieved), 'structured');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('ce-type'), 'dev.ragnative.prompt.built.v1');
  });

  it('refuses batched events with 415', async () => {
    const batch = JSON.stringify([event(RETRIEVED, retrieved).toJSON()]);
    const response = await fetch(fn.url, { method: 'POST', headers: { 'content-type': 'application/cloudevents-batch+json' }, body: batch });
    await expectProblem(response, 415, 'batch_not_supported');
  });

  it('answers 422 for an event type it does not handle (never 404: Knative would retry)', async () => {
    await expectProblem(await postEvent(fn.url, event('dev.ragnative.query.embedded.v1', retrieved)), 422, 'unsupported_event_type');
  });

  it('answers 422 with the failing paths for invalid data', async () => {
    const body = await expectProblem(await postEvent(fn.url, event(RETRIEVED, { ...retrieved, topK: 'many', extra: 1 })), 422, 'invalid_event_data');
    assert.ok(body.errors.some((e: { path: string }) => e.path === 'topK'));
  });

  it('answers 400 for a request that is not a CloudEvent', async () => {
    const response = await fetch(fn.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' });
    await expectProblem(response, 400, 'invalid_event');
  });

  it('answers 400 for events missing required attributes or of another spec version, in either mode', async () => {
    const structured = (envelope: object) => fetch(fn.url, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(envelope) });
    const base = { specversion: '1.0', type: RETRIEVED, id: 'e-1', source: '/test', datacontenttype: 'application/json', data: retrieved };
    for (const missing of ['type', 'id', 'source']) {
      const { [missing as keyof typeof base]: _dropped, ...rest } = base;
      await expectProblem(await structured(rest), 400, 'invalid_event');
      await expectProblem(await structured({ ...base, [missing]: '' }), 400, 'invalid_event');
    }
    await expectProblem(await structured({ ...base, specversion: '0.3' }), 400, 'invalid_event');
    await expectProblem(await fetch(fn.url, { method: 'POST', headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-type': RETRIEVED, 'ce-source': '/test' }, body: JSON.stringify(retrieved) }), 400, 'invalid_event');
  });

  it('answers 422 for types that are properties of every object', async () => {
    for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      await expectProblem(await postEvent(fn.url, event(type, retrieved)), 422, 'unsupported_event_type');
    }
  });

  it('answers 400 problems for malformed JSON and for non-UTF-8 bytes', async () => {
    const malformed = await fetch(fn.url, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: '{"specversion":' });
    await expectProblem(malformed, 400, 'invalid_json');
    const headers = { 'ce-specversion': '1.0', 'ce-type': RETRIEVED, 'ce-source': '/t', 'ce-id': '1', 'content-type': 'text/plain' };
    const binary = await fetch(fn.url, { method: 'POST', headers, body: new Uint8Array([0xff, 0xfe, 0x41]) });
    await expectProblem(binary, 400, 'invalid_encoding');
  });

  it('answers health probes, and 405 for other methods', async () => {
    assert.equal((await fetch(`${fn.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${fn.url}/readyz`)).status, 200);
    await expectProblem(await fetch(fn.url, { method: 'PUT' }), 405, 'method_not_allowed');
  });
});
