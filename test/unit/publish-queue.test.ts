// The background publish queue: bounded, retried with backoff, a few at a time,
// and drained on shutdown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudEvent } from 'cloudevents';
import { createPublishQueue, type DropReason } from '../../shared/http/publish-queue.ts';

const eventNo = (n: number) => new CloudEvent<unknown>({ type: 'dev.test.v1', source: '/test', subject: `e-${n}`, data: { n } });

function recorder() {
  const dropped: [string | undefined, DropReason][] = [];
  return { dropped, onDrop: (event: CloudEvent<unknown>, reason: DropReason) => void dropped.push([event.subject, reason]) };
}

test('retries a failed publish with doubling waits, then delivers it', async () => {
  const at: number[] = [];
  const { dropped, onDrop } = recorder();
  const queue = createPublishQueue(async () => {
    at.push(performance.now());
    if (at.length < 3) throw new Error('busy');
  }, { capacity: 10, attempts: 4, backoffMs: 20, concurrency: 1 }, onDrop);
  queue.enqueue(eventNo(1));
  assert.equal(queue.size, 1);
  await queue.drain(5_000);
  assert.equal(at.length, 3);
  assert.ok(at[1]! - at[0]! >= 18 && at[2]! - at[1]! >= 38, `waits of 20 then 40 ms: ${at.map((t) => Math.round(t - at[0]!))}`);
  assert.deepEqual(dropped, []);
  assert.equal(queue.size, 0);
});

test('publishes at most `concurrency` at once, in order', async () => {
  let running = 0;
  let most = 0;
  const order: unknown[] = [];
  const queue = createPublishQueue(async (event) => {
    running++;
    most = Math.max(most, running);
    order.push(event.subject);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
  }, { capacity: 100, attempts: 1, backoffMs: 1, concurrency: 3 }, () => assert.fail('nothing is dropped'));
  for (let n = 0; n < 20; n++) queue.enqueue(eventNo(n));
  await queue.drain(5_000);
  assert.equal(most, 3);
  assert.deepEqual(order, Array.from({ length: 20 }, (_, n) => `e-${n}`));
});

test('drops what is beyond its capacity, and what failed every attempt', async () => {
  const { dropped, onDrop } = recorder();
  let release: () => void = () => undefined;
  const blocked = new Promise<void>((resolve) => (release = resolve));
  const queue = createPublishQueue(async (event) => {
    await blocked;
    if (event.subject === 'e-1') throw new Error('refused');
  }, { capacity: 2, attempts: 2, backoffMs: 1, concurrency: 1 }, onDrop);
  for (let n = 0; n < 4; n++) queue.enqueue(eventNo(n));
  assert.deepEqual(dropped, [['e-2', 'queue_full'], ['e-3', 'queue_full']]);
  release();
  await queue.drain(5_000);
  assert.deepEqual(dropped.slice(2), [['e-1', 'publish_failed']]);
});

test('drain gives up after its timeout when the Broker never answers', async () => {
  const queue = createPublishQueue(() => new Promise(() => undefined), { capacity: 5, attempts: 1, backoffMs: 1, concurrency: 1 }, () => undefined);
  queue.enqueue(eventNo(1));
  const started = performance.now();
  await queue.drain(50);
  assert.ok(performance.now() - started < 1_000);
  assert.equal(queue.size, 1);
});
