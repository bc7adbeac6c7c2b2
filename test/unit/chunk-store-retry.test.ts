// Milvus calls that reached the server and failed are tried again after short
// waits; a server that cannot be reached fails the call at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { createChunkStore } from '../../shared/milvus/chunk-store.ts';

const OK = { error_code: 'Success', code: 0 };

/** A client whose query answers from `answers` in turn: an Error is thrown, a reason string is a failed status. */
function fakeClient(answers: (number | Error | string)[]) {
  let calls = 0;
  const client = {
    query: async () => {
      const answer = answers[Math.min(calls++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      if (typeof answer === 'string') return { status: { error_code: 'UnexpectedError', code: 1, reason: answer }, data: [] };
      return { status: OK, data: [{ 'count(*)': answer }] };
    },
  };
  return { client: client as unknown as MilvusClient, calls: () => calls };
}

test('a call Milvus failed is tried again, and succeeds', async () => {
  const fake = fakeClient([new Error('4 DEADLINE_EXCEEDED: Deadline exceeded'), 'failed to search/query delegator 1 for channel', 7]);
  const store = createChunkStore(async () => fake.client, 'p');
  assert.equal(await store.count('c', 'doc_id == "a"'), 7);
  assert.equal(fake.calls(), 3);
});

test('gives up after three attempts with the last error', async () => {
  const fake = fakeClient(['proxy TaskCondition context Done']);
  const store = createChunkStore(async () => fake.client, 'p');
  const started = performance.now();
  await assert.rejects(store.count('c', 'x'), (error: ProblemError) => error.code === 'milvus_unavailable' && /context Done/.test(error.message));
  assert.equal(fake.calls(), 3);
  assert.ok(performance.now() - started >= 450, 'waited 100 and 400 ms');
});

test('a Milvus that cannot be reached fails the call at once', async () => {
  let connects = 0;
  const store = createChunkStore(async () => {
    connects++;
    throw new ProblemError('milvus_unavailable', 'Cannot connect to Milvus: ECONNREFUSED');
  }, 'p');
  await assert.rejects(store.count('c', 'x'), { code: 'milvus_unavailable' });
  assert.equal(connects, 1);
});
