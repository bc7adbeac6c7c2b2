import type { EventRoutes } from '../../shared/http/event-function.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { buildPrompt, type PromptOptions } from './build-prompt.ts';

export const SOURCE = '/ragnative/prompt';

export function createPromptRoutes(options: PromptOptions): EventRoutes {
  return {
    'dev.ragnative.query.retrieved.v1': async (data, { traceparent, logger }) => {
      const built = buildPrompt(data.query, data.passages, options);
      logger.info('prompt.built', { queryId: data.queryId, passages: data.passages.length, cited: built.citations.length, grounded: built.grounded });
      const prompt = { queryId: data.queryId, ...built, ...(data.reply ? { reply: data.reply } : {}) };
      return makeEvent('dev.ragnative.prompt.built.v1', prompt, { source: SOURCE, subject: data.queryId, traceparent });
    },
  };
}
