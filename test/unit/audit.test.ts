import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAudit, type AuditContext } from '../../functions/query/audit.ts';
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

function collect(includeQuestion: boolean, publish?: (event: { data: unknown }) => Promise<void>) {
  const lines: string[] = [];
  const audit = createAudit({ publish: publish as never, logger: createLogger({}, (line) => lines.push(line)), includeQuestion, source: '/test' });
  return { audit, lines };
}

test('an audit record names who, tenant, cited documents once each, models and tokens, and validates against its event schema', async () => {
  const published: unknown[] = [];
  const { audit, lines } = collect(false, async (event) => void published.push(event.data));
  await audit(answer, context);
  const record = CATALOGUE['dev.ragnative.query.audited.v1'].parse(published[0]);
  assert.deepEqual({ ...record, answeredAt: 'x' }, { queryId: 'q-1', answeredAt: 'x', principal: 'key:abc', tenant: 'acme', mode: 'sync', citedDocuments: ['doc-1', 'doc-2', 'doc-a'], models: { llm: 'llm-1', embedding: 'emb-1' }, usage: { promptTokens: 10, completionTokens: 3 } });
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /"msg":"audit.query_answered"/);
  assert.doesNotMatch(lines[0]!, /salary|secret passage/);
});

test('the question is recorded only when configured', async () => {
  const published: { question?: string }[] = [];
  const { audit } = collect(true, async (event) => void published.push(event.data as never));
  await audit(answer, context);
  assert.equal(published[0]!.question, 'What is the salary of Jane?');
});

test('a failed publish is logged and counted, and the record still reaches the log', async () => {
  const before = (await metrics.auditPublishFailures.get()).values[0]?.value ?? 0;
  const { audit, lines } = collect(false, async () => {
    throw new Error('broker down');
  });
  await audit(answer, context);
  assert.equal((await metrics.auditPublishFailures.get()).values[0]?.value, before + 1);
  assert.deepEqual(lines.map((l) => JSON.parse(l).msg), ['audit.query_answered', 'audit.publish_failed']);
});
