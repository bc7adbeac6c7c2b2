// OpenTelemetry over the running stack, switched on by OTEL_EXPORTER_OTLP_ENDPOINT
// alone: one question is one trace, continuing the caller's traceparent, with a
// span in every function it crosses and for every dependency call (Milvus, the
// model, the LLM); a file landing in the bucket is one trace from ingest to index.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TRACEPARENT } from '../support/cloudevents.ts';
import { eventually } from '../support/eventually.ts';
import { startOtlpCollector } from '../support/otlp-collector.ts';
import { readJson } from '../support/read-json.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let collector: Awaited<ReturnType<typeof startOtlpCollector>>;
const [, TRACE_ID, CALLER_SPAN] = TRACEPARENT.split('-') as [string, string, string];

before(async () => {
  collector = await startOtlpCollector();
  stack = await startTestStack(18800, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' });
  const indexed = await postJson(`${stack.url}/v1/documents`, { source: 'atlas.md', text: 'Paris is the capital of France.' });
  assert.equal(indexed.status, 200);
});
after(async () => {
  await stack?.close();
  await collector?.close();
});

const inTrace = (traceId: string) => collector.spans.filter((s) => s.traceId === traceId);

describe('tracing', () => {
  it('shows every hop of a question in one trace that continues the caller\'s', async () => {
    const answer = await readJson(await postJson(`${stack.url}/v1/query`, { query: 'What is the capital of France?' }, { traceparent: TRACEPARENT }));
    assert.match(answer.answer, /Paris/);
    const expected = [
      ['ragnative-query', 'query POST /v1/query'], ['ragnative-query', 'step.embed'], ['ragnative-query', 'step.search'], ['ragnative-query', 'step.prompt'], ['ragnative-query', 'step.generate'],
      ['ragnative-embed', 'embed'], ['ragnative-embed', 'embed.infer'],
      ['ragnative-search', 'search'], ['ragnative-search', 'milvus.search'],
      ['ragnative-prompt', 'prompt'],
      ['ragnative-generate', 'generate'], ['ragnative-generate', 'openai.chat'],
    ];
    const spans = await eventually(async () => {
      const seen = inTrace(TRACE_ID);
      return expected.every(([service, name]) => seen.some((s) => s.service === service && s.name === name)) ? seen : undefined;
    }, 'a span for every hop');
    const root = spans.find((s) => s.name === 'query POST /v1/query')!;
    assert.equal(root.parentSpanId, CALLER_SPAN, 'the query span is the caller\'s child');
    assert.equal(root.kind, 2, 'SERVER');
    const ids = new Set(spans.map((s) => s.spanId));
    for (const span of spans) if (span !== root) assert.ok(ids.has(span.parentSpanId), `${span.service} ${span.name} hangs off a span of the same trace`);
    for (const step of ['embed', 'search', 'prompt', 'generate']) {
      const server = spans.find((s) => s.service === `ragnative-${step}` && s.name === step)!;
      assert.equal(spans.find((s) => s.spanId === server.parentSpanId)?.service, 'ragnative-query', `${step} is called by query`);
    }
  });

  it('follows an uploaded file from the bucket through ingest, embed and index in one trace', async () => {
    await writeFile(join(stack.watchDir, 'traced.txt'), 'Rome is the capital of Italy.');
    const ingest = await eventually(async () => collector.spans.find((s) => s.service === 'ragnative-ingest' && s.name === 'ingest'), 'the ingest span');
    const index = await eventually(async () => inTrace(ingest.traceId).find((s) => s.service === 'ragnative-index' && s.name === 'index'), 'an index span in the ingest span\'s trace');
    assert.ok(inTrace(index.traceId).some((s) => s.service === 'ragnative-embed'), 'embed is in it');
    assert.ok(inTrace(index.traceId).some((s) => s.name === 'milvus.upsert'), `the Milvus write is in it: ${inTrace(index.traceId).map((s) => s.name).join(', ')}`);
  });
});
