// The query function's small guards, each on its own: signed replies and the
// ledger that makes them single-use, the asynchronous rate limit, what a problem
// body reveals, and the text BM25 is given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRateLimit } from '../../functions/query/rate-limit.ts';
import { createReplyLedger, replyIsAuthentic, signedReply } from '../../functions/query/reply-signature.ts';
import { problemBody } from '../../shared/errors/problem-body.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { keywordQuery } from '../../shared/milvus/keyword-query.ts';

const SECRET = 's'.repeat(40);
const unsigned = { url: 'https://example.com/answers', principal: 'key:abc', tenant: 'acme', expiresAt: new Date(60_000).toISOString() };

describe('signed replies', () => {
  it('verify only as signed: any changed field, query id or secret fails', () => {
    const reply = signedReply(SECRET, 'q-1', unsigned);
    assert.equal(replyIsAuthentic(SECRET, 'q-1', reply), true);
    assert.equal(replyIsAuthentic(SECRET, 'q-2', reply), false);
    assert.equal(replyIsAuthentic('t'.repeat(40), 'q-1', reply), false);
    for (const change of [{ url: 'https://evil.example/x' }, { principal: 'key:other' }, { tenant: null }, { expiresAt: new Date(120_000).toISOString() }]) {
      assert.equal(replyIsAuthentic(SECRET, 'q-1', { ...reply, ...change }), false, JSON.stringify(change));
    }
  });

  it('are accepted once, until they expire; a failed delivery may be claimed again', () => {
    let now = 0;
    const ledger = createReplyLedger(() => now);
    const reply = signedReply(SECRET, 'q-1', unsigned);
    const release = ledger.claim('q-1', reply);
    assert.throws(() => ledger.claim('q-1', reply), /delivered already/);
    release();
    ledger.claim('q-1', reply);
    now = 60_000;
    assert.throws(() => ledger.claim('q-2', signedReply(SECRET, 'q-2', unsigned)), /expired/);
  });
});

describe('asynchronous rate limit', () => {
  it('allows the rate per key, then 429 with the seconds to wait, and refills with time', () => {
    let now = 0;
    const limit = createRateLimit(2, () => now);
    limit.take('a');
    limit.take('a');
    limit.take('b'); // another key has its own bucket
    assert.throws(() => limit.take('a'), (error: ProblemError) => error.code === 'rate_limited' && error.headers['retry-after'] === '30');
    now = 30_000;
    limit.take('a');
    assert.throws(() => limit.take('a'), { code: 'rate_limited' });
  });
});

describe('problem bodies', () => {
  it("say what a client did wrong, but keep a dependency's words for the log", () => {
    assert.equal(problemBody(new ProblemError('invalid_request', 'topK must be at most 50')).detail, 'topK must be at most 50');
    const hidden = problemBody(new ProblemError('milvus_unavailable', 'grpc: proxy 10.0.3.7:19530 TaskCondition context Done'));
    assert.doesNotMatch(hidden.detail, /10\\.0\\.3\\.7|grpc|TaskCondition/);
    assert.deepEqual([hidden.status, hidden.retryable], [503, true]);
  });
});

describe('keyword query', () => {
  it('keeps content words and identifiers whole, and drops function words and punctuation', () => {
    assert.equal(keywordQuery('What should I check when backups fail with E-4012?'), 'check backups fail E-4012');
    assert.equal(keywordQuery('Is v3.14.2 affected by RNSA-2024-0123, or /v1/query?'), 'v3.14.2 affected RNSA-2024-0123 v1/query');
    assert.equal(keywordQuery('What is it? Can you tell me!'), undefined);
    assert.equal(keywordQuery('  '), undefined);
  });
});
