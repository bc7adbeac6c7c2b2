// Asynchronous questions: query.received goes to the Broker (K_SINK) with the
// caller's callbackUrl, the steps run as a chain of events, and the
// answer.generated event comes back to this function (Trigger answer-generated),
// which POSTs it to the callbackUrl as a CloudEvent.
import { randomUUID } from 'node:crypto';
import type { EventRoute } from '../../shared/http/event-function.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import type { Publish } from '../../shared/http/publish-event.ts';
import { postEvent } from '../../shared/http/step-client.ts';
import type { QueryRequest } from './api-schemas.ts';
import { SOURCE } from './run-query.ts';

export async function askAsync(request: QueryRequest, publish: Publish | undefined, traceparent: string | undefined) {
  if (!request.callbackUrl) throw new ProblemError('invalid_request', 'An asynchronous query needs a callbackUrl');
  if (!publish) throw new ProblemError('async_not_configured', 'This deployment has no event sink (K_SINK) for asynchronous queries');
  const queryId = randomUUID();
  const received = { queryId, query: request.query.trim(), topK: request.topK, filter: request.filter ?? {}, callbackUrl: request.callbackUrl };
  await publish(makeEvent('dev.ragnative.query.received.v1', received, { source: SOURCE, subject: queryId, traceparent }));
  return { id: queryId, status: 'accepted' as const };
}

const CALLBACK_TIMEOUT_MS = 10_000;

/** Delivers answer.generated to its callbackUrl; a failing callback answers 503 so the Broker retries. */
export const deliverAnswer: EventRoute<'dev.ragnative.answer.generated.v1'> = async (answer, { event, logger }) => {
  if (!answer.callbackUrl) return null;
  await postEvent({ step: 'callback', url: answer.callbackUrl, event, timeoutMs: CALLBACK_TIMEOUT_MS });
  logger.info('query.answer_delivered', { queryId: answer.queryId });
  return null;
};
