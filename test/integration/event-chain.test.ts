// The event-driven paths over the local stack: files landing in the watched
// bucket become searchable through ingest -> broker -> embed -> index, deletions
// remove them, redelivered, reordered and malformed events change nothing they
// should not, and asynchronous questions come back to their callback URL.
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { childPids } from '../../scripts/bench/peak-rss.ts';
import { INGESTION_FUNCTIONS, INGESTION_NICE, type FunctionName } from '../../scripts/local-stack.ts';
import { event, postEvent, TRACEPARENT } from '../support/cloudevents.ts';
import { eventually } from '../support/eventually.ts';
import { objectDocId } from '../support/object-doc-id.ts';
import { readJson } from '../support/read-json.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
const docIdOf = (key: string) => objectDocId('local', key);
const received = (type: string) => stack.events.filter((r) => r.kind === 'received' && r.event.type === type).map((r) => r.event);


const documentStatus = async (id: string) => {
  const response = await fetch(`${stack.url}/v1/documents/${id}`);
  return response.status === 200 ? readJson(response) : undefined;
};
const ask = async (query: string, filter: object = {}) => readJson(await postJson(`${stack.url}/v1/query`, { query, filter }));
const gcsEvent = (type: 'finalized' | 'deleted', name: string, generation: string) =>
  event(`google.cloud.storage.object.v1.${type}`, { bucket: 'local', name, generation });

before(async () => {
  stack = await startTestStack(18520, { RAG_CALLBACK_ALLOW: '127.0.0.1/32' });
});
after(() => stack?.close());

describe('watched bucket', () => {
  const key = 'acme/refund-policy.md';

  it('makes a Markdown file searchable within seconds, with its folder as tenant', async () => {
    const text = '# Refund policy\n\nCustomers can return orders within thirty days for a refund to the bank.';
    await mkdir(join(stack.watchDir, 'acme'), { recursive: true });
    await writeFile(join(stack.watchDir, key), text);
    const status = await eventually(() => documentStatus(docIdOf(key)), 'the file to be indexed');
    assert.equal(status.tenant, 'acme');
    assert.equal(status.source, `local/${key}`);
    const answer = await ask('refund to the bank', { tenant: 'acme' });
    assert.equal(answer.citations[0].docId, docIdOf(key));
    const received = (type: string) => stack.events.find((r) => r.kind === 'received' && r.event.type === type && r.event.subject === docIdOf(key));
    const indexed = received('dev.ragnative.document.indexed.v1');
    assert.ok(indexed && typeof (indexed.event.data as { latencyMs?: number }).latencyMs === 'number');
    const traceId = (type: string) => String(received(type)?.event.traceparent).split('-')[1] ?? '';
    assert.match(traceId('dev.ragnative.document.chunked.v1'), /^[0-9a-f]{32}$/);
    assert.equal(traceId('dev.ragnative.chunks.embedded.v1'), traceId('dev.ragnative.document.chunked.v1'), 'one trace from upload to indexed');
    assert.equal(traceId('dev.ragnative.document.indexed.v1'), traceId('dev.ragnative.document.chunked.v1'));
  });

  it('runs the ingestion-only functions and their preparation workers at a lower CPU priority than the question path', () => {
    const pids = stack.pids();
    const base = getPriority();
    for (const [name, pid] of Object.entries(pids)) {
      if (pid !== undefined) assert.equal(getPriority(pid), INGESTION_FUNCTIONS.includes(name as FunctionName) ? Math.max(base, INGESTION_NICE) : base, name);
    }
    const workers = childPids(pids.ingest!, 'preparation-worker');
    assert.ok(workers.length > 0, 'the file was prepared in a worker');
    for (const worker of workers) assert.equal(getPriority(worker), Math.max(base, INGESTION_NICE));
  });

  it('redacts personal data before anything is embedded or stored', async () => {
    await writeFile(join(stack.watchDir, 'contacts.txt'), 'For refunds write to refunds.desk@example.com or call +44 20 7946 0958 today.');
    await eventually(() => documentStatus(docIdOf('contacts.txt')), 'contacts.txt to be indexed');
    const answer = await ask('write about refunds today', { docId: [docIdOf('contacts.txt')] });
    const text = answer.citations.map((c: { text: string }) => c.text).join(' ');
    assert.match(text, /\[REDACTED:EMAIL\]/);
    assert.match(text, /\[REDACTED:PHONE\]/);
    assert.ok(!text.includes('example.com') && !text.includes('7946'));
  });

  it('removes a deleted file from the index', async () => {
    await rm(join(stack.watchDir, key));
    await eventually(async () => ((await documentStatus(docIdOf(key))) ? undefined : true), 'the file to be removed');
    const answer = await ask('refund to the bank', { tenant: 'acme' });
    assert.deepEqual(answer.citations, []);
  });
});

describe('delivery semantics at ingest', () => {
  const key = 'ordering.txt';

  it('changes nothing on a redelivered or older event', async () => {
    await writeFile(join(stack.watchDir, key), 'The lighthouse keeper lights the lamp at dusk.');
    const first = await eventually(() => documentStatus(docIdOf(key)), 'ordering.txt to be indexed');
    const generation = BigInt(Date.now() + 60_000) * 1_000_000n; // newer than the file's own event
    for (const g of [generation, generation, 1n]) {
      const response = await postEvent(stack.broker.url, gcsEvent('finalized', key, g.toString()));
      assert.equal(response.status, 202);
    }
    await stack.broker.idle();
    const after = await documentStatus(docIdOf(key));
    assert.deepEqual([after.version, after.chunks], [first.version, first.chunks]);
    assert.ok(!stack.events.some((r) => r.kind === 'dead-lettered' && r.event.subject === `objects/${key}`));
  });

  it('does not bring a deleted object back when an older upload event arrives late', async () => {
    const late = BigInt(Date.now() + 120_000) * 1_000_000n;
    await postEvent(stack.broker.url, gcsEvent('deleted', key, (late + 1n).toString()));
    await stack.broker.idle();
    assert.equal(await documentStatus(docIdOf(key)), undefined);
    await postEvent(stack.broker.url, gcsEvent('finalized', key, late.toString())); // the file still exists locally
    await stack.broker.idle();
    assert.equal(await documentStatus(docIdOf(key)), undefined);
  });

  it('refuses malformed events with 4xx, and dead-letters what can never succeed', async () => {
    assert.equal((await postJson(stack.urls.ingest, { hello: 'world' })).status, 400);
    assert.equal((await postEvent(stack.urls.ingest, event('google.cloud.storage.object.v1.finalized', { bucket: 'local' }))).status, 422);
    assert.equal((await postEvent(stack.urls.ingest, gcsEvent('finalized', '../../etc/passwd', '5'))).status, 400);
    await writeFile(join(stack.watchDir, 'report.rtf'), '{\\rtf1 not a format ragnative reads}');
    await eventually(async () => (await readFile(stack.deadLetterFile, 'utf8').catch(() => '')).includes('report.rtf') || undefined, 'report.rtf to be dead-lettered');
    const failures = () => stack.events.filter((r) => r.kind === 'received' && r.event.type === 'dev.ragnative.document.failed.v1');
    const failed = await eventually(async () => failures().find((r) => r.event.subject === docIdOf('report.rtf')), 'document.failed');
    assert.equal((failed.event.data as { reason: string }).reason, 'unsupported_media_type');
    const traversal = failures().find((r) => r.event.subject === docIdOf('../../etc/passwd'));
    assert.equal((traversal?.event.data as { reason: string }).reason, 'invalid_request');
    const lines = (await readFile(stack.deadLetterFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.find((l) => l.event.subject === 'objects/report.rtf').event.knativeerrorcode, '415');
  });
});

describe('asynchronous questions', () => {
  it('answers 202, then POSTs answer.generated to the callback URL, on the same trace', async () => {
    await writeFile(join(stack.watchDir, 'capitals.txt'), 'Paris is the capital of France.');
    await eventually(() => documentStatus(docIdOf('capitals.txt')), 'capitals.txt to be indexed');
    const delivered: { headers: IncomingHttpHeaders; body: string }[] = [];
    const callback = createServer(async (req, res) => {
      let body = '';
      for await (const part of req) body += part;
      delivered.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    try {
      const callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/answers`;
      const response = await postJson(`${stack.url}/v1/query`, { query: 'What is the capital of France?', callbackUrl }, { traceparent: TRACEPARENT });
      assert.equal(response.status, 202);
      const accepted = await readJson(response);
      assert.equal(accepted.status, 'accepted');
      const answer = await eventually(async () => delivered[0], 'the callback');
      assert.equal(answer.headers['ce-type'], 'dev.ragnative.answer.generated.v1');
      assert.equal(answer.headers['ce-subject'], accepted.id);
      assert.equal(String(answer.headers['ce-traceparent']).split('-')[1], TRACEPARENT.split('-')[1]);
      const data = JSON.parse(answer.body);
      assert.equal(data.citations[0].docId, docIdOf('capitals.txt'));
      assert.match(data.answer, /Paris is the capital of France/);
      assert.equal(data.reply, undefined, 'the signed reply stays inside the deployment');

      const audited = await eventually(async () => received('dev.ragnative.query.audited.v1').find((e) => e.subject === accepted.id), 'the audit record');
      assert.deepEqual({ ...(audited.data as object), answeredAt: undefined, usage: undefined }, {
        queryId: accepted.id, answeredAt: undefined, principal: 'anonymous', tenant: null, mode: 'async',
        citedDocuments: [docIdOf('capitals.txt')], models: { llm: 'stub-llm', embedding: 'ragnative-test-64d' }, usage: undefined,
      });

      // query's CloudEvent route delivers only answers it asked for: a forged or altered reply is refused, permanently.
      const genuine = received('dev.ragnative.answer.generated.v1').find((e) => e.subject === accepted.id)!;
      const forgeries = [
        { ...(genuine.data as { reply: object }).reply, url: 'http://127.0.0.1:9/elsewhere' },
        { ...(genuine.data as { reply: object }).reply, principal: 'key:someone-else' },
        { ...(genuine.data as { reply: object }).reply, expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
        { url: callbackUrl, principal: 'anonymous', tenant: null, expiresAt: new Date().toISOString(), signature: '0'.repeat(64) },
      ];
      for (const reply of forgeries) {
        const forged = await postEvent(stack.url, event('dev.ragnative.answer.generated.v1', { ...(genuine.data as object), answer: 'Forged', reply }));
        assert.equal(forged.status, 403, JSON.stringify(reply));
      }
      // A genuine answer, captured and sent again, is refused: a reply is accepted once.
      const replayed = await postEvent(stack.url, event('dev.ragnative.answer.generated.v1', genuine.data));
      assert.equal(replayed.status, 403);
      assert.match((await readJson(replayed)).detail, /delivered already/);
      assert.equal(delivered.length, 1, 'nothing forged or replayed reached the callback');
    } finally {
      callback.close();
    }
    const noCallback = await postJson(`${stack.url}/v1/query`, { query: 'capital' }, { prefer: 'respond-async' });
    assert.equal(noCallback.status, 400);
  });
});

describe('watched bucket, again', () => {
  it('indexes a file written again after it was deleted', async () => {
    const key = 'again.txt';
    await writeFile(join(stack.watchDir, key), 'The first text about a harbour.');
    await eventually(() => documentStatus(docIdOf(key)), 'the first write to be indexed');
    await rm(join(stack.watchDir, key));
    await eventually(async () => ((await documentStatus(docIdOf(key))) ? undefined : true), 'the deletion');
    await writeFile(join(stack.watchDir, key), 'The second text about a harbour, written later.');
    const status = await eventually(() => documentStatus(docIdOf(key)), 'the second write to be indexed');
    assert.equal(status.chunks, 1);
  });
});
