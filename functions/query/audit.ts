// The audit trail: one record per answered question, written as a log line and
// published to the Broker as dev.ragnative.query.audited.v1 (where K_SINK is
// bound). It names who asked, for which tenant, what was cited and which models
// answered; the question itself only with RAG_AUDIT_QUESTIONS=true. The event
// is queued and published in the background (publish-queue.ts): the caller's
// answer and concurrency slot never wait for the Broker. A record the queue
// drops (full, or the Broker refused every attempt) is logged and counted; the
// log line holds it in any case.
import type { EventData } from '../../shared/events/catalogue.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import type { Publish } from '../../shared/http/publish-event.ts';
import { createPublishQueue, type PublishQueue, type PublishQueueOptions } from '../../shared/http/publish-queue.ts';
import type { Logger } from '../../shared/observability/logger.ts';
import { metrics } from '../../shared/observability/metrics.ts';

type Audited = EventData<'dev.ragnative.query.audited.v1'>;
type Answer = Pick<EventData<'dev.ragnative.answer.generated.v1'>, 'queryId' | 'citations' | 'model' | 'usage' | 'pii'> & { fallback?: string | undefined };

export interface AuditContext {
  principal: string;
  tenant: string | null;
  mode: Audited['mode'];
  embeddingModel: string;
  question: string | undefined;
  traceparent: string | undefined;
}

/** Writes the record's log line and queues its event; returns at once. */
export type Audit = (answer: Answer, context: AuditContext) => void;

/** About 3 s of retries per record (0.2 + 0.4 + 0.8 + 1.6 s), a thousand records at most. */
export const AUDIT_QUEUE: PublishQueueOptions = { capacity: 1_000, attempts: 5, backoffMs: 200, concurrency: 4 };

export function createAuditQueue(publish: Publish, logger: Logger, options: PublishQueueOptions = AUDIT_QUEUE): PublishQueue {
  return createPublishQueue(publish, options, (event, reason, error) => {
    (reason === 'queue_full' ? metrics.auditRecordsDropped : metrics.auditPublishFailures).inc();
    logger.error('audit.publish_failed', { queryId: event.subject, reason, ...(error ? { errorMessage: String((error as Error).message).slice(0, 300) } : {}) });
  });
}

export function createAudit(deps: { queue: PublishQueue | undefined; logger: Logger; includeQuestion: boolean; source: string }): Audit {
  return (answer, context) => {
    const record: Audited = {
      queryId: answer.queryId,
      answeredAt: new Date().toISOString(),
      principal: context.principal,
      tenant: context.tenant,
      mode: context.mode,
      citedDocuments: [...new Set(answer.citations.map((c) => c.docId))],
      models: { llm: answer.model, embedding: context.embeddingModel },
      ...(answer.usage ? { usage: answer.usage } : {}),
      ...(answer.fallback ? { fallback: answer.fallback } : {}),
      ...(answer.pii && Object.keys(answer.pii).length > 0 ? { pii: answer.pii } : {}),
      ...(deps.includeQuestion && context.question !== undefined ? { question: context.question } : {}),
    };
    deps.logger.info('audit.query_answered', record);
    deps.queue?.enqueue(makeEvent('dev.ragnative.query.audited.v1', record, { source: deps.source, subject: answer.queryId, traceparent: context.traceparent }));
  };
}
