// The rerank step over functions-framework's real HTTP server, against a local
// server speaking the /rerank API (both shapes), which checks what it receives:
// passages are reordered by the cross-encoder's scores and cut to topK; a
// reranker that fails or is slow leaves the fused order, labelled.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRerankRoutes } from '../../functions/rerank/handler.ts';
import { createRerankClient } from '../../functions/rerank/rerank-client.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { rerankConfig } from '../../shared/config/schemas.ts';
import { createEventFunction } from '../../shared/http/event-function.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { event, postEvent, replyEvent } from '../support/cloudevents.ts';
import { serveHandler, type ServedFunction } from '../support/function-server.ts';
import { startRerankStub, type RerankStub } from '../support/rerank-stub.ts';

const logger = createLogger({}, () => {});
const passage = (n: number, text: string) => ({ id: `p${n}`, docId: `doc-${n}`, source: `${n}.md`, chunkIndex: 0, score: 1 - n / 10, scores: { dense: 1 - n / 10 }, text });
const retrieved = {
  queryId: 'q-r',
  query: 'when does the lighthouse lamp shine',
  topK: 2,
  candidates: 4,
  filter: { tenant: 'default' },
  model: 'm',
  passages: [passage(1, 'Ferries leave at nine.'), passage(2, 'The harbour has two piers.'), passage(3, 'The lighthouse lamp shine starts at dusk.'), passage(4, 'The lamp is cleaned weekly.')],
  retrieval: { mode: 'hybrid', fusion: 'weighted' },
};

let stub: RerankStub;
const served: ServedFunction[] = [];
const serve = async (env: Record<string, string>) => {
  const config = loadConfig(rerankConfig, { RERANK_URL: stub.url, RERANK_TIMEOUT_MS: '300', ...env });
  const fn = await serveHandler(`rerank-${served.length}`, createEventFunction({ name: 'rerank', routes: createRerankRoutes(createRerankClient(config), config.RERANK_MODEL), logger }));
  served.push(fn);
  return fn;
};
const rerank = async (fn: ServedFunction) => replyEvent(await postEvent(fn.url, event('dev.ragnative.query.retrieved.v1', retrieved)));

before(async () => {
  stub = await startRerankStub({ apiKey: 'rk-test', model: 'jina-reranker-v2', slowMs: 1_000 });
});
after(async () => {
  await Promise.all(served.map((fn) => fn.close()));
  await stub.close();
});

describe('rerank', () => {
  for (const [api, path] of [['tei', '/rerank'], ['cohere', '/v1/rerank']] as const) {
    it(`reorders passages by the cross-encoder's scores and keeps topK (${api}: POST ${path})`, async () => {
      stub.mode = 'ok';
      const fn = await serve({ RERANK_API: api, RERANK_MODEL: 'jina-reranker-v2', RERANK_API_KEY: 'rk-test' });
      const before = stub.requests.length;
      const reply = await rerank(fn);
      assert.equal(reply.type, 'dev.ragnative.query.reranked.v1');
      assert.deepEqual(reply.data.passages.map((p: { id: string }) => p.id), ['p3', 'p4']);
      assert.equal(reply.data.passages[0].scores.rerank, 4); // the, lighthouse, lamp, shine
      assert.equal(reply.data.passages[0].scores.dense, 0.7, 'the routes\' own scores stay');
      assert.deepEqual(reply.data.retrieval, { mode: 'hybrid', fusion: 'weighted', rerank: { model: 'jina-reranker-v2' } });
      const [request] = stub.requests.slice(before);
      assert.equal(request!.path, path);
      assert.deepEqual(request!.body[api === 'tei' ? 'texts' : 'documents'], retrieved.passages.map((p) => p.text), 'every candidate, in order');
      assert.deepEqual(stub.violations, []);
    });
  }

  it('keeps the fused order, labelled, when the reranker fails or is too slow', async () => {
    const fn = await serve({});
    for (const [mode, fallback] of [['fail', 'rerank_unavailable'], ['slow', 'rerank_timeout']] as const) {
      stub.mode = mode;
      const reply = await rerank(fn);
      assert.equal(reply.type, 'dev.ragnative.query.reranked.v1', mode);
      assert.deepEqual(reply.data.passages.map((p: { id: string }) => p.id), ['p1', 'p2']);
      assert.deepEqual(reply.data.retrieval.rerank, { model: 'BAAI/bge-reranker-base', fallback });
    }
    stub.mode = 'ok';
  });
});
