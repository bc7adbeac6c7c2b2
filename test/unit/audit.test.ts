import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAudit, createAuditQueue, type AuditContext } from '../../functions/query/audit.ts';
import { CATALOGUE } from '../../shared/events/catalogue.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { metrics } from '../../shared/observability/metrics.ts';

const answer = {
  queryId: 'q-1',
  citations: [1, 2, 3].map((n) => ({ n, docId: n === 3 ? 'doc-a' : `doc-${n}`, source: 's', chunkIndex: 0, score: 1, text: 'secret passage' })),
  model: 'llm-1',
  usage: { promptTokens: 10, completionTokens: 3 },
};
const context: AuditContext = { principal: 'key:abc', tenant: 'acme', mode: 'sync', embeddingModel: 'emb-1', question: 'What is the salary of Jane?', traceparent: undefined };

/** Retries after 1 ms, so that a failing publish gives up at once. */
const FAST = { capacity: 2, attempts: 3, backoffMs: 1, concurrency: 1 };

function collect(includeQuestion: boolean, publish?: (event: { data: unknown }) => Promise<void>) {
  const lines: string[] = [];
  const logger = createLogger({}, (line) => lines.push(line));
  const queue = publish ? createAuditQueue(publish as never, logger, FAST) : undefined;
  const audit = createAudit({ queue, logger, includeQuestion, source: '/test' });
  return { audit, lines, drain: () => queue?.drain(5_000) };
}

test('an audit record names who, tenant, cited documents once each, models and tokens, and validates against its event schema', async () => {
  const published: unknown[] = [];
  const { audit, lines, drain } = collect(false, async (event) => void published.push(event.data));
  audit(answer, context);
  await drain();
  const record = CATALOGUE['dev.ragnative.query.audited.v1'].parse(published[0]);
  assert.deepEqual({ ...record, answeredAt: 'x' }, { queryId: 'q-1', answeredAt: 'x', principal: 'key:abc', tenant: 'acme', mode: 'sync', citedDocuments: ['doc-1', 'doc-2', 'doc-a'], models: { llm: 'llm-1', embedding: 'emb-1' }, usage: { promptTokens: 10, completionTokens: 3 } });
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /"msg":"audit.query_answered"/);
  assert.doesNotMatch(lines[0]!, /salary|secret passage/);
});

test('the question is recorded only when configured', async () => {
  const published: { question?: string }[] = [];
  const { audit, drain } = collect(true, async (event) => void published.push(event.data as never));
  audit(answer, context);
  await drain();
  assert.equal(published[0]!.question, 'What is the salary of Jane?');
});

test('a publish the Broker refuses on every attempt is logged and counted, and the record still reaches the log', async () => {
  const before = (await metrics.auditPublishFailures.get()).values[0]?.value ?? 0;
  let attempts = 0;
  const { audit, lines, drain } = collect(false, async () => {
    attempts++;
    throw new Error('broker down');
  });
  audit(answer, context);
  await drain();
  assert.equal(attempts, FAST.attempts);
  assert.equal((await metrics.auditPublishFailures.get()).values[0]?.value, before + 1);
  assert.deepEqual(lines.map((l) => JSON.parse(l).msg), ['audit.query_answered', 'audit.publish_failed']);
  assert.equal(JSON.parse(lines[1]!).reason, 'publish_failed');
});

test('the caller never waits for the Broker: records beyond the queue are dropped, logged and counted', async () => {
  const before = (await metrics.auditRecordsDropped.get()).values[0]?.value ?? 0;
  const { audit, lines } = collect(false, () => new Promise(() => undefined)); // a Broker that never answers
  const started = performance.now();
  for (let i = 0; i < FAST.capacity + 1; i++) audit({ ...answer, queryId: `q-${i}` }, context);
  assert.ok(performance.now() - started < 50, 'audit returns at once');
  assert.equal((await metrics.auditRecordsDropped.get()).values[0]?.value, before + 1);
  const dropped = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'audit.publish_failed');
  assert.deepEqual(dropped.map((l) => [l.queryId, l.reason]), [[`q-${FAST.capacity}`, 'queue_full']]);
  assert.equal(lines.filter((l) => l.includes('audit.query_answered')).length, FAST.capacity + 1, 'every record is in the log');
});
