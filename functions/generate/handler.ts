import type { EventRoutes, EventStreams } from '../../shared/http/event-function.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { metrics } from '../../shared/observability/metrics.ts';
import { generateAnswer, type GenerateDeps } from './generate-answer.ts';

export const SOURCE = '/ragnative/generate';

function countTokens(answer: { model: string; usage?: { promptTokens: number; completionTokens: number } | undefined }): void {
  if (!answer.usage) return;
  metrics.llmTokens.inc({ model: answer.model, kind: 'prompt' }, answer.usage.promptTokens);
  metrics.llmTokens.inc({ model: answer.model, kind: 'completion' }, answer.usage.completionTokens);
}

export function createGenerateRoutes(deps: GenerateDeps): { routes: EventRoutes; streams: EventStreams } {
  return {
    routes: {
      'dev.ragnative.prompt.built.v1': async (data, { traceparent, logger, time }) => {
        const answer = await generateAnswer(data, deps, logger, undefined, time);
        countTokens(answer);
        logger.info('generate.answered', { queryId: data.queryId, model: answer.model, fallback: answer.fallback, usage: answer.usage });
        const reply = { ...answer, ...(data.reply ? { reply: data.reply } : {}) };
        return makeEvent('dev.ragnative.answer.generated.v1', reply, { source: SOURCE, subject: data.queryId, traceparent });
      },
    },
    streams: {
      // The synchronous query path streams deltas, then the final answer as `done`.
      'dev.ragnative.prompt.built.v1': async (data, { logger }, sse) => {
        const answer = await generateAnswer(data, deps, logger, (text) => sse.send('delta', { text }));
        countTokens(answer);
        logger.info('generate.answered', { queryId: data.queryId, model: answer.model, fallback: answer.fallback, usage: answer.usage });
        sse.send('done', answer);
      },
    },
  };
}
