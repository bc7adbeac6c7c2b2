import type { EventData } from '../../shared/events/catalogue.ts';
import type { EventContext, EventRoutes } from '../../shared/http/event-function.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { buildPrompt, type PromptOptions } from './build-prompt.ts';

export const SOURCE = '/ragnative/prompt';

/** Passages straight from search, or reordered by the rerank step: at most topK of them (search may have found more, for a reranker). */
export function createPromptRoutes(options: PromptOptions): EventRoutes {
  const build = async (data: EventData<'dev.ragnative.query.retrieved.v1'>, { traceparent, logger }: EventContext) => {
    const passages = data.passages.slice(0, data.topK);
    const built = buildPrompt(data.query, passages, options);
    logger.info('prompt.built', { queryId: data.queryId, passages: passages.length, cited: built.citations.length, grounded: built.grounded });
    const prompt = { queryId: data.queryId, ...built, ...(data.reply ? { reply: data.reply } : {}) };
    return makeEvent('dev.ragnative.prompt.built.v1', prompt, { source: SOURCE, subject: data.queryId, traceparent });
  };
  return { 'dev.ragnative.query.retrieved.v1': build, 'dev.ragnative.query.reranked.v1': build };
}
