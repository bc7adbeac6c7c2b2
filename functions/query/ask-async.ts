// Asynchronous questions: query.received goes to the Broker (K_SINK) with a
// signed reply (where to deliver, on whose behalf, until when), the steps run
// as a chain of events, and the answer.generated event comes back to this
// function (Trigger answer-generated), which checks the signature and that the
// reply is fresh and not yet delivered, POSTs the answer to the caller's URL as
// a CloudEvent (through the callback guard), and writes the audit record.
import { randomUUID } from 'node:crypto';
import { CloudEvent, HTTP } from 'cloudevents';
import type { StepsConfig } from '../../shared/config/schemas.ts';
import type { EventRoute } from '../../shared/http/event-function.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import type { Publish } from '../../shared/http/publish-event.ts';
import type { QueryRequest } from './api-schemas.ts';
import type { Audit } from './audit.ts';
import { principalOf, type Identity } from './authenticate.ts';
import type { CallbackGuard } from './callback-guard.ts';
import type { createRateLimit } from './rate-limit.ts';
import { createReplyLedger, replyIsAuthentic, signedReply } from './reply-signature.ts';
import { SOURCE } from './run-query.ts';

export interface AsyncDeps {
  /** Publishes to the Broker (K_SINK); absent where no sink is bound. */
  publish: Publish | undefined;
  /** RAG_REPLY_SECRET; absent where it is not configured. */
  replySecret: string | undefined;
  replyTtlSeconds: number;
  callbacks: CallbackGuard;
  /** Questions per key per minute: they cost LLM tokens. Only valid, accepted questions spend it. */
  asyncRate: ReturnType<typeof createRateLimit>;
  /** Where a rerank step is deployed, search finds RERANK_CANDIDATES passages for it. */
  steps: Pick<StepsConfig, 'RERANK_STEP_URL' | 'RERANK_CANDIDATES'>;
}

export async function askAsync(request: QueryRequest, identity: Identity, deps: AsyncDeps, traceparent: string | undefined) {
  if (!request.callbackUrl) throw new ProblemError('invalid_request', 'An asynchronous query needs a callbackUrl');
  if (!deps.publish) throw new ProblemError('async_not_configured', 'This deployment has no event sink (K_SINK) for asynchronous queries');
  if (!deps.replySecret) throw new ProblemError('async_not_configured', 'This deployment has no RAG_REPLY_SECRET to sign asynchronous replies with');
  await deps.callbacks.check(request.callbackUrl);
  deps.asyncRate.take(identity.keyId);
  const queryId = randomUUID();
  const expiresAt = new Date(Date.now() + deps.replyTtlSeconds * 1000).toISOString();
  const reply = signedReply(deps.replySecret, queryId, { url: request.callbackUrl, principal: identity.keyId, tenant: identity.tenant ?? null, expiresAt });
  const received = {
    queryId,
    query: request.query.trim(),
    topK: request.topK,
    ...(deps.steps.RERANK_STEP_URL ? { candidates: deps.steps.RERANK_CANDIDATES } : {}),
    filter: request.filter ?? {},
    retrieval: request.retrieval ?? {},
    principal: principalOf(identity),
    reply,
  };
  await deps.publish(makeEvent('dev.ragnative.query.received.v1', received, { source: SOURCE, subject: queryId, traceparent }));
  return { id: queryId, status: 'accepted' as const };
}

const CALLBACK_TIMEOUT_MS = 10_000;

/**
 * Delivers answer.generated to the reply URL (without the reply itself); a
 * failing callback answers 503 so the Broker retries. An answer whose reply is
 * not signed by this deployment, has expired or was delivered already is
 * refused (403: permanent, dead-lettered).
 */
export function createAnswerDelivery(deps: { replySecret: string | undefined; audit: Audit; embeddingModel: string; callbacks: CallbackGuard }): EventRoute<'dev.ragnative.answer.generated.v1'> {
  const ledger = createReplyLedger();
  return async (answer, { event, logger, traceparent }) => {
    const { reply, ...delivered } = answer;
    if (!reply) return null; // answered synchronously; nothing to deliver
    if (!deps.replySecret || !replyIsAuthentic(deps.replySecret, answer.queryId, reply)) {
      throw new ProblemError('forbidden', 'This answer was not asked for through this query function: its reply signature does not verify');
    }
    const release = ledger.claim(answer.queryId, reply);
    const message = HTTP.binary(CloudEvent.cloneWith(event, { data: delivered }));
    const body = typeof message.body === 'string' ? message.body : JSON.stringify(message.body);
    const status = await deps.callbacks.post(reply.url, message.headers as Record<string, string>, body, CALLBACK_TIMEOUT_MS).catch((error: unknown) => {
      release();
      if (error instanceof ProblemError) throw error;
      throw new ProblemError('step_unavailable', 'The callback URL did not answer', { cause: error });
    });
    if (status < 200 || status >= 300) {
      release();
      throw new ProblemError('step_unavailable', `The callback URL answered ${status}`);
    }
    logger.info('query.answer_delivered', { queryId: answer.queryId });
    deps.audit(answer, { principal: reply.principal, tenant: reply.tenant, mode: 'async', embeddingModel: deps.embeddingModel, question: undefined, traceparent });
    return null;
  };
}
