// The optional rerank step in the local stack (RERANK_URL set): search finds
// RERANK_CANDIDATES passages, the reranker (a local server speaking the /rerank
// API, checking what it receives) picks the topK, on the synchronous path and
// through the Broker (knative/optional/rerank/ re-points query.retrieved).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { readJson } from '../support/read-json.ts';
import { startRerankStub, type RerankStub } from '../support/rerank-stub.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let stub: RerankStub;
const DOCUMENTS = [
  ['ferries.md', 'Ferries leave the harbour at nine and return at six.'],
  ['piers.md', 'The harbour has two piers and a small boat yard.'],
  ['lamp.md', 'The lighthouse lamp is lit at dusk by the keeper.'],
  ['storms.md', 'In storms the harbour closes and boats stay at the piers.'],
];

before(async () => {
  stub = await startRerankStub({ model: 'BAAI/bge-reranker-base' });
  stack = await startTestStack(19000, { RERANK_URL: stub.url, RERANK_CANDIDATES: '4', PROMPT_MIN_SCORE: '0', RAG_CALLBACK_ALLOW: '127.0.0.2/32' });
  for (const [source, text] of DOCUMENTS) assert.equal((await postJson(`${stack.url}/v1/documents`, { source, text })).status, 200);
});
after(async () => {
  await stack?.close();
  await stub?.close();
});

describe('rerank step', () => {
  it('chooses topK from the candidates search found, on the synchronous path', async () => {
    const before = stub.requests.length;
    const answer = await readJson(await postJson(`${stack.url}/v1/query`, { query: 'who lights the lighthouse lamp at dusk', topK: 1 }));
    assert.deepEqual(answer.retrieval.rerank, { model: 'BAAI/bge-reranker-base' });
    assert.equal(answer.citations.length, 1);
    assert.equal(answer.citations[0].source, 'lamp.md');
    assert.ok(answer.timings.rerankMs >= 0);
    const sent = stub.requests.slice(before);
    assert.equal(sent.length, 1);
    assert.equal((sent[0]!.body.texts as string[]).length, 4, 'RERANK_CANDIDATES passages, not topK');
    assert.deepEqual(stub.violations, []);
  });

  it('answers from the fused order, labelled, while the reranker is down', async () => {
    stub.mode = 'fail';
    try {
      const response = await postJson(`${stack.url}/v1/query`, { query: 'who lights the lighthouse lamp at dusk', topK: 2 });
      assert.equal(response.status, 200);
      const answer = await readJson(response);
      assert.equal(answer.retrieval.rerank.fallback, 'rerank_unavailable');
      assert.equal(answer.citations.length, 2);
    } finally {
      stub.mode = 'ok';
    }
  });

  it('runs between search and prompt in the event chain too', async () => {
    const accepted = await readJson(await postJson(`${stack.url}/v1/query`, { query: 'when do ferries leave the harbour', callbackUrl: 'http://127.0.0.2:9/answers' }));
    const types = () => stack.events.filter((r) => r.kind === 'received' && r.event.subject === accepted.id).map((r) => r.event.type);
    await eventually(async () => (types().includes('dev.ragnative.answer.generated.v1') ? true : undefined), 'the answer');
    assert.deepEqual(types().filter((t) => t.startsWith('dev.ragnative.query.') || t.startsWith('dev.ragnative.prompt.')), [
      'dev.ragnative.query.received.v1', 'dev.ragnative.query.embedded.v1', 'dev.ragnative.query.retrieved.v1', 'dev.ragnative.query.reranked.v1', 'dev.ragnative.prompt.built.v1',
    ]);
  });
});
