// The audit trail: one record per answered question, written as a log line and
// published to the Broker as dev.ragnative.query.audited.v1 (where K_SINK is
// bound). It names who asked, for which tenant, what was cited and which models
// answered; the question itself only with RAG_AUDIT_QUESTIONS=true. A failed
// publish is logged and counted, and does not fail the caller's answer.
import type { EventData } from '../../shared/events/catalogue.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import type { Publish } from '../../shared/http/publish-event.ts';
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

export type Audit = (answer: Answer, context: AuditContext) => Promise<void>;

export function createAudit(deps: { publish: Publish | undefined; logger: Logger; includeQuestion: boolean; source: string }): Audit {
  return async (answer, context) => {
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
    if (!deps.publish) return;
    try {
      await deps.publish(makeEvent('dev.ragnative.query.audited.v1', record, { source: deps.source, subject: answer.queryId, traceparent: context.traceparent }));
    } catch (error) {
      metrics.auditPublishFailures.inc();
      deps.logger.error('audit.publish_failed', { queryId: answer.queryId, errorMessage: String((error as Error).message).slice(0, 300) });
    }
  };
}
