// Asynchronous questions: query.received goes to the Broker (K_SINK) with a
// signed reply (where to deliver, on whose behalf), the steps run as a chain of
// events, and the answer.generated event comes back to this function (Trigger
// answer-generated), which checks the signature, POSTs the answer to the
// caller's URL as a CloudEvent, and writes the audit record.
import { randomUUID } from 'node:crypto';
import { CloudEvent } from 'cloudevents';
import type { EventRoute } from '../../shared/http/event-function.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import type { Publish } from '../../shared/http/publish-event.ts';
import { postEvent } from '../../shared/http/step-client.ts';
import type { QueryRequest } from './api-schemas.ts';
import type { Audit } from './audit.ts';
import type { Identity } from './authenticate.ts';
import { replyIsAuthentic, signedReply } from './reply-signature.ts';
import { SOURCE } from './run-query.ts';

export interface AsyncDeps {
  /** Publishes to the Broker (K_SINK); absent where no sink is bound. */
  publish: Publish | undefined;
  /** RAG_REPLY_SECRET; absent where it is not configured. */
  replySecret: string | undefined;
}

export async function askAsync(request: QueryRequest, identity: Identity, deps: AsyncDeps, traceparent: string | undefined) {
  if (!request.callbackUrl) throw new ProblemError('invalid_request', 'An asynchronous query needs a callbackUrl');
  if (!deps.publish) throw new ProblemError('async_not_configured', 'This deployment has no event sink (K_SINK) for asynchronous queries');
  if (!deps.replySecret) throw new ProblemError('async_not_configured', 'This deployment has no RAG_REPLY_SECRET to sign asynchronous replies with');
  const queryId = randomUUID();
  const reply = signedReply(deps.replySecret, queryId, { url: request.callbackUrl, principal: identity.keyId, tenant: identity.tenant ?? null });
  const received = { queryId, query: request.query.trim(), topK: request.topK, filter: request.filter ?? {}, reply };
  await deps.publish(makeEvent('dev.ragnative.query.received.v1', received, { source: SOURCE, subject: queryId, traceparent }));
  return { id: queryId, status: 'accepted' as const };
}

const CALLBACK_TIMEOUT_MS = 10_000;

/**
 * Delivers answer.generated to the reply URL (without the reply itself); a
 * failing callback answers 503 so the Broker retries. An answer whose reply is
 * not signed by this deployment is refused (403: permanent, dead-lettered).
 */
export function createAnswerDelivery(deps: { replySecret: string | undefined; audit: Audit; embeddingModel: string }): EventRoute<'dev.ragnative.answer.generated.v1'> {
  return async (answer, { event, logger, traceparent }) => {
    const { reply, ...delivered } = answer;
    if (!reply) return null; // answered synchronously; nothing to deliver
    if (!deps.replySecret || !replyIsAuthentic(deps.replySecret, answer.queryId, reply)) {
      throw new ProblemError('forbidden', 'This answer was not asked for through this query function: its reply signature does not verify');
    }
    await postEvent({ step: 'callback', url: reply.url, event: CloudEvent.cloneWith(event, { data: delivered }), timeoutMs: CALLBACK_TIMEOUT_MS });
    logger.info('query.answer_delivered', { queryId: answer.queryId });
    await deps.audit(answer, { principal: reply.principal, tenant: reply.tenant, mode: 'async', embeddingModel: deps.embeddingModel, question: undefined, traceparent });
    return null;
  };
}
