import type { EventRoutes, EventStreams } from '../../shared/http/event-function.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { generateAnswer, type GenerateDeps } from './generate-answer.ts';

export const SOURCE = '/ragnative/generate';

export function createGenerateRoutes(deps: GenerateDeps): { routes: EventRoutes; streams: EventStreams } {
  return {
    routes: {
      'dev.ragnative.prompt.built.v1': async (data, { traceparent, logger }) => {
        const answer = await generateAnswer(data, deps, logger);
        logger.info('generate.answered', { queryId: data.queryId, model: answer.model, fallback: answer.fallback, usage: answer.usage });
        const reply = { ...answer, ...(data.callbackUrl ? { callbackUrl: data.callbackUrl } : {}) };
        return makeEvent('dev.ragnative.answer.generated.v1', reply, { source: SOURCE, subject: data.queryId, traceparent });
      },
    },
    streams: {
      // The synchronous query path streams deltas, then the final answer as `done`.
      'dev.ragnative.prompt.built.v1': async (data, { logger }, sse) => {
        const answer = await generateAnswer(data, deps, logger, (text) => sse.send('delta', { text }));
        logger.info('generate.answered', { queryId: data.queryId, model: answer.model, fallback: answer.fallback, usage: answer.usage });
        sse.send('done', answer);
      },
    },
  };
}
