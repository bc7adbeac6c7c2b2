// End to end over the local stack: real Milvus, real model files, every function
// its own process, the OpenAI-compatible stub checking what the model is sent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readSse } from '../../shared/http/sse-reader.ts';
import { eventually } from '../support/eventually.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';
import { readJson } from '../support/read-json.ts';

const DOCS = {
  refunds: {
    source: 'handbook/refunds.md',
    tags: ['policy'],
    text: 'Customers can return orders within thirty days for a refund.\n\nThe refund is paid to the bank account of the customer in five business days.',
  },
  capitals: {
    source: 'wiki/capitals.md',
    tags: ['geography'],
    text: 'Paris is the capital of France. Berlin is the capital of Germany. Rome is the capital of Italy.',
  },
  plants: {
    source: 'wiki/photosynthesis.md',
    tags: ['science'],
    tenant: 'lab',
    text: 'Photosynthesis is how plants turn light energy into sugar. Leaves use chlorophyll, water and carbon dioxide and release oxygen.',
  },
};

let stack: TestStack;
const ids: Record<string, string> = {};

async function ask(body: Record<string, unknown>) {
  const response = await postJson(`${stack.url}/v1/query`, body);
  return { status: response.status, body: await readJson(response) };
}

before(async () => {
  stack = await startTestStack(18480);
  for (const [name, doc] of Object.entries(DOCS)) {
    const response = await postJson(`${stack.url}/v1/documents`, doc);
    assert.equal(response.status, 200, await response.clone().text());
    ids[name] = (await readJson(response)).id;
  }
});
after(() => stack?.close());

describe('query path', () => {
  it('answers with citations that point at the right document', async () => {
    const { status, body } = await ask({ query: 'What is the capital of France?' });
    assert.equal(status, 200);
    assert.equal(body.citations[0].docId, ids.capitals);
    assert.equal(body.citations[0].source, 'wiki/capitals.md');
    assert.equal(body.citations[0].n, 1);
    assert.equal(body.model, 'stub-llm');
    assert.equal(body.embeddingModel, 'ragnative-test-64d');
    assert.match(body.answer, /^According to the documents, Paris is the capital of France\. \[1\]$/);
    for (const step of ['embedMs', 'searchMs', 'promptMs', 'generateMs', 'totalMs']) assert.equal(typeof body.timings[step], 'number');
    // What each step reported waiting on (Server-Timing) lies within that step's round trip.
    for (const [inner, step] of [['embedModelMs', 'embedMs'], ['searchMilvusMs', 'searchMs'], ['generateLlmMs', 'generateMs']] as const) {
      assert.ok(body.timings[inner] > 0 && body.timings[inner] <= body.timings[step], `${inner} ${body.timings[inner]} within ${step} ${body.timings[step]}`);
    }
  });

  it('sends the model the question, fenced sources and the untrusted-data rule, nothing else', async () => {
    const before = stack.llm.requests.length;
    await ask({ query: 'How many days for a refund to the bank?' });
    const request = stack.llm.requests[before]!;
    assert.deepEqual(stack.llm.violations, []);
    assert.equal(request.messages.length, 2);
    assert.match(request.messages[1]!.content, /Question: How many days for a refund to the bank\?$/);
    assert.match(request.messages[1]!.content, /<source id="1" document="[^"]+" chunk="\d+">\n[^<]*refund/);
  });

  it('streams citations, then answer deltas, then done', async () => {
    const response = await postJson(`${stack.url}/v1/query`, { query: 'How do plants use light energy?' }, { accept: 'text/event-stream' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = [];
    for await (const message of readSse(response.body!)) events.push({ event: message.event, data: JSON.parse(message.data) });
    assert.equal(events[0]!.event, 'citations');
    assert.equal(events[0]!.data.citations[0].docId, ids.plants);
    const deltas = events.filter((e) => e.event === 'delta');
    assert.ok(deltas.length > 1);
    const done = events.at(-1)!;
    assert.equal(done.event, 'done');
    assert.equal(done.data.answer, deltas.map((d) => d.data.text).join(''));
  });

  it('writes an audit record per answered question, as an event and a log line, without the question', async () => {
    const sync = await ask({ query: 'What is the capital of Germany?' });
    const streamed = await postJson(`${stack.url}/v1/query`, { query: 'What is the capital of Italy?', stream: true });
    let done = { id: '', citations: [] };
    for await (const message of readSse(streamed.body!)) if (message.event === 'done') done = JSON.parse(message.data);
    for (const [{ id, citations }, mode] of [[sync.body, 'sync'], [done, 'stream']] as const) {
      const record = await eventually(async () => stack.events.find((r) => r.kind === 'received' && r.event.type === 'dev.ragnative.query.audited.v1' && r.event.subject === id), `the ${mode} audit event`);
      const data = record.event.data as Record<string, unknown>;
      assert.equal(data.mode, mode);
      assert.equal(data.principal, 'anonymous');
      assert.equal(data.tenant, null);
      assert.deepEqual(data.citedDocuments, [...new Set(citations.map((c: { docId: string }) => c.docId))]);
      assert.equal((data.citedDocuments as string[])[0], ids.capitals);
      assert.deepEqual(data.models, { llm: 'stub-llm', embedding: 'ragnative-test-64d' });
      assert.deepEqual(data.usage, { promptTokens: 42, completionTokens: 7 });
      assert.equal(data.question, undefined);
      assert.ok(stack.logs.some((line) => line.includes('"msg":"audit.query_answered"') && line.includes(id)), `the ${mode} audit log line`);
    }
    assert.ok(!stack.logs.some((line) => line.includes('capital of Germany')), 'the question is in no log line');
  });

  it('redacts personal data the model writes, and reports it in the answer and the audit record', async () => {
    stack.llm.options.answer = () => 'Write to jane.doe@example.com or call +44 20 7946 0958 about refunds to the bank [1].';
    try {
      const { body } = await ask({ query: 'Who handles refunds to the bank?' });
      assert.equal(body.answer, 'Write to [REDACTED:EMAIL] or call [REDACTED:PHONE] about refunds to the bank [1].');
      assert.deepEqual(body.pii, { email: 1, phone: 1 });
      const record = await eventually(async () => stack.events.find((r) => r.event.type === 'dev.ragnative.query.audited.v1' && r.event.subject === body.id), 'the audit event');
      assert.deepEqual((record.event.data as { pii: unknown }).pii, { email: 1, phone: 1 });
    } finally {
      delete stack.llm.options.answer;
    }
  });

  it('filters by tag, tenant and source on the server side', async () => {
    const byTag = await ask({ query: 'What is the capital of France?', filter: { tags: ['science'] } });
    assert.ok(byTag.body.citations.every((c: { docId: string }) => c.docId === ids.plants));
    const byTenant = await ask({ query: 'capital of France', filter: { tenant: 'lab' } });
    assert.ok(byTenant.body.citations.every((c: { docId: string }) => c.docId === ids.plants));
    const bySource = await ask({ query: 'capital of France', filter: { source: ['handbook/refunds.md'] } });
    assert.ok(bySource.body.citations.length > 0);
    assert.ok(bySource.body.citations.every((c: { source: string }) => c.source === 'handbook/refunds.md'));
  });

  it('never lets a filter value widen the search', async () => {
    const hostile = await ask({ query: 'capital of France', filter: { source: 'x" || source != "x' } });
    assert.equal(hostile.status, 200);
    assert.deepEqual(hostile.body.citations, []);
    assert.equal(hostile.body.fallback, 'nothing_relevant');
    assert.match(hostile.body.answer, /could not find anything relevant/);
  });

  it('reports whether and how a document is indexed', async () => {
    const response = await fetch(`${stack.url}/v1/documents/${ids.refunds}`);
    assert.equal(response.status, 200);
    const body = await readJson(response);
    assert.equal(body.indexed, true);
    assert.equal(body.source, 'handbook/refunds.md');
    assert.ok(body.chunks >= 1);
    assert.equal((await fetch(`${stack.url}/v1/documents/doc-unknown`)).status, 404);
    const listed = await readJson(await fetch(`${stack.url}/v1/documents?limit=10`));
    assert.deepEqual(listed.documents.map((d: { id: string }) => d.id).sort(), Object.values(ids).sort());
    assert.equal((await fetch(`${stack.url}/v1/documents?limit=0`)).status, 400);
  });

  it('parses HTML documents and redacts personal data on the synchronous path too', async () => {
    const html = '<html><body><h1>Support</h1><p>Mail help@example.org for a refund.</p><script>evil()</script></body></html>';
    const created = await readJson(await postJson(`${stack.url}/v1/documents`, { id: 'support-page', source: 'web/support.html', contentType: 'text/html', text: html }));
    assert.deepEqual(created.pii, { email: 1 });
    const { body } = await ask({ query: 'mail for a refund', filter: { docId: ['support-page'] } });
    assert.equal(body.citations[0].text, 'Support\n\nMail [REDACTED:EMAIL] for a refund.');
    await fetch(`${stack.url}/v1/documents/support-page`, { method: 'DELETE' });
  });

  it('replaces a re-ingested document and never duplicates it', async () => {
    const again = await postJson(`${stack.url}/v1/documents`, DOCS.refunds);
    const same = await readJson(again);
    const status = await readJson(await fetch(`${stack.url}/v1/documents/${ids.refunds}`));
    assert.equal(same.chunks, status.chunks, 'a repeat post is idempotent');
    const changed = { ...DOCS.refunds, text: 'Refunds are no longer offered. Orders are final.' };
    const replaced = await readJson(await postJson(`${stack.url}/v1/documents`, changed));
    assert.equal(replaced.id, ids.refunds);
    assert.notEqual(replaced.version, same.version);
    const after = await readJson(await fetch(`${stack.url}/v1/documents/${ids.refunds}`));
    assert.equal(after.version, replaced.version);
    assert.equal(after.chunks, replaced.chunks);
    const { body } = await ask({ query: 'refund bank business days', filter: { docId: [ids.refunds] } });
    assert.ok(body.citations.every((c: { text: string }) => !/bank/.test(c.text)), 'old chunks are gone');
  });

  it('indexes a document spanning several chunk batches', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `Section ${i}: the warehouse ships package ${i} by train on day ${i}.`).join('\n\n');
    const response = await postJson(`${stack.url}/v1/documents`, { id: 'long-doc', source: 'ops/long.md', text });
    const body = await readJson(response);
    assert.equal(response.status, 200);
    assert.ok(body.chunks > 8, `${body.chunks} chunks`); // CHUNKS_PER_EVENT is 4: several batches
    const status = await readJson(await fetch(`${stack.url}/v1/documents/long-doc`));
    assert.equal(status.chunks, body.chunks);
  });

  it('deletes every chunk of a document', async () => {
    const response = await fetch(`${stack.url}/v1/documents/long-doc`, { method: 'DELETE' });
    assert.equal(response.status, 200);
    assert.ok((await readJson(response)).chunks > 8);
    assert.equal((await fetch(`${stack.url}/v1/documents/long-doc`)).status, 404);
    assert.equal((await fetch(`${stack.url}/v1/documents/long-doc`, { method: 'DELETE' })).status, 404);
    const { body } = await ask({ query: 'warehouse ships package by train', filter: { docId: ['long-doc'] } });
    assert.deepEqual(body.citations, []);
  });

  it('falls back to a labelled extractive answer when the LLM times out, without hanging', async () => {
    stack.llm.options.delayMs = 5_000;
    try {
      const started = Date.now();
      const { status, body } = await ask({ query: 'What is the capital of France?' });
      assert.equal(status, 200);
      assert.ok(Date.now() - started < 4_000, `took ${Date.now() - started} ms`);
      assert.equal(body.fallback, 'llm_timeout');
      assert.equal(body.model, 'extractive');
      assert.match(body.answer, /did not answer in time[\s\S]*\[1\] Paris is the capital of France/);
    } finally {
      delete stack.llm.options.delayMs;
    }
  });

  it('publishes its contract: OpenAPI and event schemas from the validating zod schemas', async () => {
    const openapi = await readJson(await fetch(`${stack.url}/openapi.json`));
    const request = openapi.paths['/v1/query'].post.requestBody.content['application/json'].schema;
    assert.equal(request.additionalProperties, false);
    assert.deepEqual(request.required, ['query']);
    assert.equal(request.properties.topK.maximum, 50);
    const events = await readJson(await fetch(`${stack.url}/v1/events`));
    assert.equal(Object.keys(events).length, 14);
    assert.ok(events['dev.ragnative.query.received.v1'].properties.query);
  });

  it('serves the metrics operators expect on each function\'s metrics port, never on its public one', async () => {
    const text = async (url: string) => (await fetch(url)).text();
    const { metricsUrls: m } = stack;
    assert.match(await text(m.embed), /^embedding_requests_total\{model="ragnative-test-64d"\} [1-9]/m);
    assert.match(await text(m.embed), /^embedding_latency_seconds_count\{model="ragnative-test-64d"\} [1-9]/m);
    assert.match(await text(m.search), /^milvus_search_latency_seconds_count [1-9]/m);
    assert.match(await text(m.index), /^milvus_insert_latency_seconds_count [1-9]/m);
    assert.match(await text(m.generate), /^llm_tokens_total\{model="stub-llm",kind="completion"\} [1-9]/m);
    assert.match(await text(m.query), /^http_requests_total\{function="query",method="POST",status="200"\} [1-9]/m);
    assert.match(await text(m.query), /^http_request_duration_seconds_count\{function="query",method="POST"\} [1-9]/m);
    assert.equal((await fetch(`${stack.url}/metrics`)).status, 404);
    assert.equal((await fetch(`${stack.urls.embed}/metrics`)).status, 405);
  });

  it('writes the caller\'s trace id on every log line of a question, in every function, with no tracing SDK running', async () => {
    const traceId = 'c0ffee00c0ffee00c0ffee00c0ffee00';
    const answered = await postJson(`${stack.url}/v1/query`, { query: 'What is the capital of Italy?' }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    assert.equal(answered.status, 200);
    const traced = () => stack.logs.filter((line) => line.includes(`"traceId":"${traceId}"`));
    for (const fn of ['query', 'embed', 'search', 'prompt', 'generate']) await eventually(async () => traced().some((line) => line.startsWith(`[${fn}]`)) || undefined, `${fn} to log the trace id`);
    const lines = traced();
    assert.ok(lines.some((line) => line.includes('"msg":"search.completed"')));
  });

  it('is ready when Milvus answers, and logs no document text', async () => {
    assert.equal((await fetch(`${stack.url}/readyz`)).status, 200);
    assert.ok(stack.logs.some((line) => line.includes('search.completed')));
    const leaks = stack.logs.filter((line) => /Paris is the capital|chlorophyll|thirty days/.test(line));
    assert.deepEqual(leaks, []);
  });
});
