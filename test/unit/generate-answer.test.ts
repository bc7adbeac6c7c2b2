import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APIConnectionError, BadRequestError, InternalServerError } from 'openai';
import type { ChatModel } from '../../functions/generate/chat-model.ts';
import { generateAnswer } from '../../functions/generate/generate-answer.ts';
import { NOTHING_RELEVANT_ANSWER } from '../../functions/generate/extractive-answer.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { createLogger } from '../../shared/observability/logger.ts';

const logger = createLogger({}, () => {});
const citation = { n: 1, docId: 'd', source: 's.md', chunkIndex: 0, score: 0.9, text: 'Refunds take five days. More text follows here.' };
const prompt = { queryId: 'q1', messages: [{ role: 'system' as const, content: 'sys' }, { role: 'user' as const, content: 'u' }], citations: [citation], grounded: true };

const chatOf = (stream: ChatModel['stream']): ChatModel => ({ model: 'stub-model', stream });

describe('generateAnswer', () => {
  it('streams deltas from the model and reports usage', async () => {
    const deltas: string[] = [];
    const chat = chatOf(async function* () {
      yield { delta: 'Five ' };
      yield { delta: 'days [1]' };
      yield { usage: { promptTokens: 3, completionTokens: 2 } };
    });
    const answer = await generateAnswer(prompt, { chat, timeoutMs: 1000 }, logger, (d) => deltas.push(d));
    assert.equal(deltas.join(''), 'Five days [1]');
    assert.equal(answer.answer, 'Five days [1]');
    assert.deepEqual(answer.pii, {});
    assert.equal(answer.model, 'stub-model');
    assert.deepEqual(answer.usage, { promptTokens: 3, completionTokens: 2 });
    assert.equal(answer.fallback, undefined);
  });

  it('redacts personal data the model writes, in the answer and in every delta, and counts it', async () => {
    const text = 'Ask jane.doe@example.com, or phone +44 20 7946 0958, about refunds; they take five days as stated in the policy [1].';
    const chat = chatOf(async function* () {
      for (let i = 0; i < text.length; i += 3) yield { delta: text.slice(i, i + 3) };
    });
    const deltas: string[] = [];
    const answer = await generateAnswer(prompt, { chat, timeoutMs: 1000 }, logger, (d) => deltas.push(d));
    assert.equal(answer.answer, 'Ask [REDACTED:EMAIL], or phone [REDACTED:PHONE], about refunds; they take five days as stated in the policy [1].');
    assert.equal(deltas.join(''), answer.answer);
    assert.ok(deltas.length > 1, 'still streamed in pieces');
    assert.ok(!deltas.some((d) => /jane|7946/.test(d)));
    assert.deepEqual(answer.pii, { email: 1, phone: 1 });
  });

  it('answers extractively, and says so, without an LLM', async () => {
    const answer = await generateAnswer(prompt, { chat: undefined, timeoutMs: 1000 }, logger);
    assert.equal(answer.fallback, 'no_llm_configured');
    assert.equal(answer.model, 'extractive');
    assert.match(answer.answer, /No language model is configured/);
    assert.match(answer.answer, /\[1\] Refunds take five days/);
  });

  it('never calls the model when nothing relevant was found', async () => {
    const chat = chatOf(async function* () {
      throw new Error('must not be called');
    });
    const answer = await generateAnswer({ ...prompt, citations: [], grounded: false }, { chat, timeoutMs: 1000 }, logger);
    assert.equal(answer.answer, NOTHING_RELEVANT_ANSWER);
    assert.equal(answer.fallback, 'nothing_relevant');
  });

  it('falls back, labelled, when the model hangs past the deadline', async () => {
    const chat = chatOf(async function* (_messages, signal) {
      await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      yield { delta: 'never' };
    });
    const started = Date.now();
    const keepAlive = setTimeout(() => {}, 5_000); // AbortSignal.timeout alone does not hold the event loop open
    const answer = await generateAnswer(prompt, { chat, timeoutMs: 100 }, logger);
    clearTimeout(keepAlive);
    assert.ok(Date.now() - started < 1000);
    assert.equal(answer.fallback, 'llm_timeout');
    assert.match(answer.answer, /did not answer in time/);
  });

  it('keeps a partial answer and marks it cut off', async () => {
    const chat = chatOf(async function* () {
      yield { delta: 'Partial' };
      throw new APIConnectionError({ message: 'socket closed' });
    });
    const answer = await generateAnswer(prompt, { chat, timeoutMs: 1000 }, logger);
    assert.equal(answer.fallback, 'llm_unavailable');
    assert.match(answer.answer, /^Partial\n\n\[The answer was cut off/);
  });

  it('falls back on provider 5xx, fails permanently on provider 4xx', async () => {
    const failing = (error: Error) => chatOf(async function* () {
      throw error;
    });
    const server = await generateAnswer(prompt, { chat: failing(new InternalServerError(500, {}, 'boom', new Headers())), timeoutMs: 1000 }, logger);
    assert.equal(server.fallback, 'llm_unavailable');
    await assert.rejects(
      generateAnswer(prompt, { chat: failing(new BadRequestError(400, {}, 'bad', new Headers())), timeoutMs: 1000 }, logger),
      (error: unknown) => error instanceof ProblemError && error.code === 'upstream_rejected' && error.status === 422,
    );
  });
});
