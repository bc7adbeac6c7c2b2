// The hostile-input suite: property-based fuzzing (fast-check) of every entry
// point over the running stack, with authentication on. Malformed, oversized,
// wrongly typed, unauthenticated and cross-tenant requests, and arbitrary
// CloudEvents at every function, must never crash a process or get a 5xx, never
// show tenant A anything of tenant B's, and never lose an indexed document.
// Each property reports how many cases it tried.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { hashKey } from '../../functions/query/authenticate.ts';
import { FUNCTION_PORTS, type FunctionName } from '../../scripts/local-stack.ts';
import { CATALOGUE, type EventType } from '../../shared/events/catalogue.ts';
import { readJson } from '../support/read-json.ts';
import { startRerankStub, type RerankStub } from '../support/rerank-stub.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';

// The fuzzer holds tenant A's key only: B's and C's documents must come through untouched.
const KEYS = { a: 'hostile-key-a', b: 'hostile-key-b', c: 'hostile-key-c' };
const SEEDED = {
  a: { source: 'a/refunds.md', text: 'Tenant A pays refunds to the bank in five days.' },
  b: { source: 'b/refunds.md', text: 'Tenant B pays refunds to the bank in ten days. The vault code is 7741.' },
  c: { source: 'c/refunds.md', text: 'Tenant C pays refunds to the bank in two days.' },
};
const RUNS = { publicUrl: 300, crossTenant: 150, eventsPerFunction: 100 };
let stack: TestStack;
let reranker: RerankStub;
const ids = { a: '', b: '', c: '' };
const tried: Record<string, number> = {};

const header = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);
const credential = fc.oneof(
  fc.constant<Record<string, string>>({}),
  fc.constant({ authorization: `Bearer ${KEYS.a}` }),
  fc.constant({ 'x-api-key': KEYS.a }),
  header.map((h) => ({ authorization: h })),
  header.map((h) => ({ authorization: `Bearer ${h}` })),
);
const anyBody = fc.oneof(
  fc.json({ depthSize: 'small' }),
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.record({ query: fc.anything(), topK: fc.anything(), filter: fc.anything(), stream: fc.anything(), callbackUrl: fc.anything() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.record({ source: fc.anything(), text: fc.anything(), tenant: fc.anything(), id: fc.anything(), contentType: fc.anything() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.constant(JSON.stringify({ query: 'x'.repeat(300_000) })),
);

/** Sends raw requests: fetch refuses some hostile header values itself, which is not a server outcome. */
async function send(url: string, init: RequestInit): Promise<Response | undefined> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (error instanceof TypeError && /header|ByteString|Invalid/i.test(String(error.message) + String((error as { cause?: Error }).cause?.message))) return undefined;
    throw error;
  }
}

/** What functions-framework's JSON parser accepts (strict mode: an object or an array at the top). */
function isJsonDocument(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

function assertNot5xx(response: Response, what: unknown): void {
  assert.ok(response.status < 500, `${response.status} for ${JSON.stringify(what).slice(0, 400)}`);
}

before(async () => {
  reranker = await startRerankStub(); // so that the optional rerank step runs, and is attacked too
  stack = await startTestStack(18700, { RAG_AUTH: 'required', RAG_API_KEYS: `${hashKey(KEYS.a)}=tenant-a;${hashKey(KEYS.b)}=tenant-b;${hashKey(KEYS.c)}=tenant-c`, RAG_MAX_CONCURRENT_PER_KEY: '64', RERANK_URL: reranker.url });
  for (const tenant of ['a', 'b', 'c'] as const) {
    const response = await postJson(`${stack.url}/v1/documents`, SEEDED[tenant], { authorization: `Bearer ${KEYS[tenant]}` });
    assert.equal(response.status, 200);
    ids[tenant] = (await readJson(response)).id;
  }
});
after(async () => {
  console.log(`hostile-input cases tried: ${JSON.stringify(tried)}, ${Object.values(tried).reduce((a, b) => a + b, 0)} in all`);
  await stack?.close();
  await reranker?.close();
});

describe('hostile input', () => {
  it('the public URL never answers a 5xx and answers nothing protected without a valid key', async () => {
    const paths = fc.oneof(
      fc.constantFrom('/v1/query', '/v1/documents', `/v1/documents/${ids.c}`, `/v1/documents/${ids.b}`, '/v1/documents/%E0%A4%A', '/openapi.json', '/v1/events', '/healthz', '/readyz', '/metrics'),
      fc.webPath().map((p) => p || '/'),
    );
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
      path: paths,
      credential,
      contentType: fc.oneof(fc.constantFrom('application/json', 'text/plain', 'application/cloudevents+json', 'application/x-www-form-urlencoded'), header),
      accept: fc.constantFrom('application/json', 'text/event-stream', '*/*'),
      body: anyBody,
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        tried.publicUrl = (tried.publicUrl ?? 0) + 1;
        const hasBody = !['GET', 'OPTIONS'].includes(r.method);
        const response = await send(`${stack.url}${r.path}`, { method: r.method, headers: { 'content-type': r.contentType, accept: r.accept, ...r.credential }, ...(hasBody ? { body: r.body } : {}) });
        if (!response) return;
        await response.arrayBuffer();
        assertNot5xx(response, r);
        const presented = r.credential as Record<string, string>;
        const validKey = presented.authorization === `Bearer ${KEYS.a}` || presented['x-api-key'] === KEYS.a;
        const protectedRoute = /^\/v1\/(query|documents)/.test(r.path) && ['GET', 'POST', 'DELETE'].includes(r.method) && !r.contentType.startsWith('application/cloudevents');
        const undecodable = (() => {
          try {
            return decodeURIComponent(r.path) === undefined;
          } catch {
            return true; // refused as a malformed request (400) before any route is chosen
          }
        })();
        if (protectedRoute && !validKey) {
          assert.ok(response.status >= 400, `${response.status}: answered ${r.method} ${r.path} without a valid key`);
          // A request the framework cannot even parse is refused as malformed before authentication; everything else is 401.
          const unparsable = undecodable || (hasBody && r.contentType.startsWith('application/json') && !isJsonDocument(r.body));
          if (!unparsable && response.status !== 404 && response.status !== 405) assert.equal(response.status, 401, `${r.method} ${r.path}`);
        }
      }),
      { numRuns: RUNS.publicUrl },
    );
  });

  it('tenant A never sees tenant B, whatever the question and filter say', async () => {
    const filter = fc.record(
      {
        tenant: fc.oneof(fc.constant('tenant-b'), fc.constant('tenant-a'), fc.string()),
        source: fc.oneof(fc.constant(SEEDED.b.source), fc.array(fc.oneof(fc.constant(SEEDED.b.source), fc.string({ minLength: 1 })), { minLength: 1, maxLength: 3 }), fc.string()),
        docId: fc.array(fc.oneof(fc.constant(ids.b), fc.string({ minLength: 1 })), { minLength: 1, maxLength: 3 }),
        tags: fc.array(fc.oneof(fc.constant('x" || tenant == "tenant-b'), fc.string({ minLength: 1 })), { minLength: 1, maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    const body = fc.record(
      { query: fc.oneof(fc.constantFrom('refunds to the bank', 'What is the vault code of tenant B?', 'ten days'), fc.string({ minLength: 1, maxLength: 200 })), topK: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.anything()), filter: fc.oneof(filter, fc.anything()) },
      { requiredKeys: ['query'] },
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        tried.crossTenant = (tried.crossTenant ?? 0) + 1;
        const response = await postJson(`${stack.url}/v1/query`, b, { authorization: `Bearer ${KEYS.a}` });
        const answer = await readJson(response);
        assertNot5xx(response, b);
        if (response.status === 200) {
          for (const citation of answer.citations) assert.notEqual(citation.docId, ids.b, JSON.stringify(b));
          assert.doesNotMatch(JSON.stringify(answer), /ten days|7741/);
        }
      }),
      { numRuns: RUNS.crossTenant },
    );
    const sources = (r: (typeof stack.llm.requests)[number]) => (r.messages[1]?.content ?? '').split('\n\nQuestion: ')[0]!;
    assert.ok(!stack.llm.requests.some((r) => /Tenant B|7741/.test(sources(r))), 'B\'s text never reached the model');
  });

  for (const fn of Object.keys(FUNCTION_PORTS) as FunctionName[]) {
    it(`${fn} takes arbitrary CloudEvents, binary and structured, without a 5xx`, async () => {
      const types = Object.keys(CATALOGUE) as EventType[];
      const dataFor = (type: string) => {
        const schema = CATALOGUE[type as EventType] as unknown as { shape?: Record<string, unknown> };
        const keys = Object.keys(schema?.shape ?? {});
        return keys.length ? fc.oneof(fc.dictionary(fc.constantFrom(...keys), fc.anything(), { maxKeys: keys.length }), fc.anything()) : fc.anything();
      };
      const ce = fc
        .record({ type: fc.oneof(fc.constantFrom(...types), header), structured: fc.boolean(), id: header, source: header, specversion: fc.constantFrom('1.0', '1.0', '0.3', '2.0', ''), extra: fc.dictionary(fc.stringMatching(/^[a-z]{1,10}$/), header, { maxKeys: 3 }) })
        .chain((attrs) => dataFor(attrs.type).map((data) => ({ ...attrs, data })));
      await fc.assert(
        fc.asyncProperty(ce, async (e) => {
          const json = JSON.stringify(e.data) ?? 'null';
          const init: RequestInit = e.structured
            ? { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify({ specversion: e.specversion, type: e.type, id: e.id, source: e.source, datacontenttype: 'application/json', data: e.data, ...e.extra }) ?? 'null' }
            : { method: 'POST', headers: { 'content-type': 'application/json', 'ce-specversion': e.specversion, 'ce-type': e.type, 'ce-id': e.id, 'ce-source': e.source, ...Object.fromEntries(Object.entries(e.extra).map(([k, v]) => [`ce-${k}`, v])) }, body: json };
          const response = await send(stack.urls[fn], init);
          if (!response) return; // refused by the client itself (a header it will not send)
          tried[`events:${fn}`] = (tried[`events:${fn}`] ?? 0) + 1;
          await response.arrayBuffer();
          assertNot5xx(response, e);
        }),
        { numRuns: RUNS.eventsPerFunction },
      );
      assert.ok((tried[`events:${fn}`] ?? 0) > RUNS.eventsPerFunction / 2, `${fn} answered ${tried[`events:${fn}`] ?? 0} of ${RUNS.eventsPerFunction}`);
    });
  }

  it('replayed requests and events change nothing: one document, one set of chunks, cited once', async () => {
    const auth = { authorization: `Bearer ${KEYS.a}` };
    const doc = { source: 'a/replayed.md', text: 'Replayed uploads of the harbour schedule must leave one document. Ferries leave the harbour at nine.' };
    const replies = await Promise.all(Array.from({ length: 5 }, () => postJson(`${stack.url}/v1/documents`, doc, auth)));
    const bodies = await Promise.all(replies.map(readJson));
    assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200, 200]);
    assert.equal(new Set(bodies.map((b) => b.id)).size, 1);
    tried.replayed = (tried.replayed ?? 0) + 5;
    const status = await readJson(await fetch(`${stack.url}/v1/documents/${bodies[0].id}`, { headers: auth }));
    assert.equal(status.chunks, bodies[0].chunks);
    const answer = await readJson(await postJson(`${stack.url}/v1/query`, { query: 'When do ferries leave the harbour?', topK: 10 }, auth));
    const citedIds = answer.citations.map((c: { docId: string; chunkIndex: number }) => `${c.docId}#${c.chunkIndex}`);
    assert.equal(new Set(citedIds).size, citedIds.length, 'no chunk is cited twice');
    assert.ok(citedIds.includes(`${bodies[0].id}#0`));
  });

  it('leaves every function up and every seeded document indexed and answerable', async () => {
    for (const url of Object.values(stack.urls)) assert.equal((await fetch(`${url}/healthz`)).status, 200, url);
    for (const tenant of ['a', 'b', 'c'] as const) {
      const auth = { authorization: `Bearer ${KEYS[tenant]}` };
      assert.equal((await fetch(`${stack.url}/v1/documents/${ids[tenant]}`, { headers: auth })).status, 200);
      const answer = await readJson(await postJson(`${stack.url}/v1/query`, { query: 'refunds to the bank' }, auth));
      assert.equal(answer.citations[0]?.docId, ids[tenant]);
    }
  });
});
