// The local broker routes by the Trigger manifests in knative/ and keeps
// Knative's delivery semantics. Subscribers here are plain HTTP servers that
// record what they receive and answer as each test needs.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CloudEvent, HTTP } from 'cloudevents';
import { startLocalBroker, type BrokerRecord, type LocalBroker } from '../../scripts/local-broker/broker.ts';
import { backoffMs, isRetryable, parseDuration, policyOf } from '../../scripts/local-broker/delivery-policy.ts';
import { concurrencyOf } from '../../scripts/local-broker/service-slots.ts';
import { loadManifests } from '../../scripts/knative-manifests.ts';
import { event, postEvent, TRACEPARENT } from '../support/cloudevents.ts';

type Behaviour = (attempt: number) => { status: number; reply?: CloudEvent<unknown> };
const received: Record<string, { type: string; traceparent: string | undefined }[]> = {};
const behaviours: Record<string, Behaviour> = {};
const servers: Server[] = [];
const records: BrokerRecord[] = [];
let broker: LocalBroker;
let work: string;

async function subscriber(name: string): Promise<string> {
  received[name] = [];
  const server = createServer(async (req, res) => {
    for await (const _ of req);
    received[name]!.push({ type: String(req.headers['ce-type']), traceparent: req.headers['ce-traceparent'] as string | undefined });
    const accept: Behaviour = () => ({ status: 202 });
    const { status, reply } = (behaviours[name] ?? accept)(received[name]!.length);
    if (!reply) return void res.writeHead(status).end();
    const message = HTTP.binary(reply);
    res.writeHead(status, message.headers as Record<string, string>).end(message.body as string);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  await broker.idle();
};

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'broker-'));
  const subscribers: Record<string, string> = {};
  for (const name of ['embed', 'search', 'prompt', 'generate', 'embed-gpu', 'index']) subscribers[name] = await subscriber(name);
  broker = await startLocalBroker({
    port: 0,
    subscribers,
    deadLetterFile: join(work, 'dead-letters.jsonl'),
    policy: { retry: 3, backoffDelayMs: 10 },
    onEvent: (record) => records.push(record),
  });
});
after(async () => {
  await broker.close();
  for (const server of servers) server.close();
  await rm(work, { recursive: true, force: true });
});

describe('delivery policy', () => {
  it('reads the Broker manifest: retries, exponential backoff from 0.2 s', async () => {
    const policy = policyOf((await loadManifests()).find((m) => m.kind === 'Broker'));
    assert.deepEqual(policy, { retry: 10, backoffPolicy: 'exponential', backoffDelayMs: 200 });
    assert.deepEqual([1, 2, 3].map((n) => backoffMs(policy, n)), [200, 400, 800]);
    assert.equal(parseDuration('PT1M2.5S'), 62_500);
  });

  it('retries what Knative retries, and nothing else', () => {
    for (const status of [undefined, 500, 503, 504, 404, 408, 409, 429]) assert.equal(isRetryable(status), true, String(status));
    for (const status of [400, 401, 403, 413, 415, 422]) assert.equal(isRetryable(status), false, String(status));
  });
});

describe('local broker', () => {
  it('delivers by exact type and publishes each reply onward, keeping the trace', async () => {
    behaviours.embed = () => ({ status: 200, reply: new CloudEvent<unknown>({ type: 'dev.ragnative.query.embedded.v1', source: '/embed', data: {}, traceparent: TRACEPARENT }) });
    behaviours.search = () => ({ status: 202 });
    const response = await postEvent(broker.url, event('dev.ragnative.query.received.v1', { any: 'thing' }));
    assert.equal(response.status, 202);
    await waitFor(() => received.search!.length > 0);
    assert.deepEqual(received.embed!.map((e) => e.type), ['dev.ragnative.query.received.v1']);
    assert.deepEqual(received.search!.map((e) => e.type), ['dev.ragnative.query.embedded.v1']);
    assert.equal(received.search![0]!.traceparent, TRACEPARENT);
    assert.equal(received.prompt!.length, 0);
  });

  it('retries a 503 with backoff until it succeeds', async () => {
    behaviours.prompt = (attempt) => ({ status: attempt < 3 ? 503 : 202 });
    await postEvent(broker.url, event('dev.ragnative.query.retrieved.v1', {}));
    await waitFor(() => received.prompt!.length >= 3);
    const delivered = records.find((r) => r.kind === 'delivered' && r.trigger === 'query-retrieved');
    assert.equal(delivered?.kind === 'delivered' && delivered.attempts, 3);
  });

  it('dead-letters a permanent failure at once, and a transient one after the retry budget', async () => {
    behaviours.index = () => ({ status: 422 });
    behaviours.generate = () => ({ status: 500 });
    await postEvent(broker.url, event('dev.ragnative.chunks.embedded.v1', {}));
    await postEvent(broker.url, event('dev.ragnative.prompt.built.v1', {}));
    await waitFor(() => records.filter((r) => r.kind === 'dead-lettered').length >= 2);
    assert.equal(received.index!.length, 1, '422 is not retried');
    assert.equal(received.generate!.length, 4, 'one try and 3 retries');
    const lines = (await readFile(join(work, 'dead-letters.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const codes = Object.fromEntries(lines.map((l) => [l.trigger, l.event.knativeerrorcode]));
    assert.deepEqual(codes, { 'chunks-embedded': '422', 'prompt-built': '500' });
    assert.ok(lines.every((l) => l.event.knativeerrordest && l.event.knativeerrordata !== undefined));
  });

  it('stops retrying when it closes, and writes nothing after close returns', async () => {
    const deadLetterFile = join(work, 'closing-dead-letters.jsonl');
    const failing = await subscriber('failing');
    behaviours.failing = () => ({ status: 503 });
    const closing = await startLocalBroker({ port: 0, subscribers: { index: failing }, deadLetterFile, policy: { retry: 50, backoffDelayMs: 100 } });
    await postEvent(closing.url, event('dev.ragnative.chunks.embedded.v1', {}));
    for (let i = 0; i < 100 && received.failing!.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await closing.close();
    assert.ok(Date.now() - started < 1_000, 'close does not wait out the retry budget');
    const attempts = received.failing!.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(received.failing!.length, attempts, 'no attempt after close');
    await assert.rejects(readFile(deadLetterFile), { code: 'ENOENT' }, 'a closed broker dead-letters nothing');
  });

  it('holds deliveries beyond a service\'s containerConcurrency until one finishes, as its queue-proxy would', async () => {
    assert.equal(concurrencyOf(await loadManifests()).index, 20);
    // Each request is held until 20 are in flight (or 500 ms pass, for the last few),
    // so the limit is reached however slowly the machine delivers, and any delivery
    // past it would show.
    let inFlight = 0;
    let most = 0;
    const slow = createServer(async (req, res) => {
      for await (const _ of req);
      most = Math.max(most, ++inFlight);
      const until = Date.now() + 500;
      while (most < 20 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      res.writeHead(202).end();
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    servers.push(slow);
    const seen: BrokerRecord[] = [];
    const limited = await startLocalBroker({ port: 0, subscribers: { index: `http://127.0.0.1:${(slow.address() as AddressInfo).port}` }, deadLetterFile: join(work, 'limited.jsonl'), onEvent: (r) => seen.push(r) });
    try {
      await Promise.all(Array.from({ length: 45 }, () => postEvent(limited.url, event('dev.ragnative.chunks.embedded.v1', {}))));
      await limited.idle();
      assert.equal(most, 20, 'at most containerConcurrency at once');
      const delivered = seen.filter((r) => r.kind === 'delivered');
      assert.equal(delivered.length, 45);
      assert.ok(delivered.every((r) => r.kind === 'delivered' && r.attempts === 1), 'waiting is not a failed attempt');
    } finally {
      await limited.close();
    }
  });

  it('refuses what is not a CloudEvent', async () => {
    const response = await fetch(broker.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(response.status, 400);
  });
});
