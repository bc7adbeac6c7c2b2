// The optional rerank step, between search and prompt: a cross-encoder scores
// each passage search found against the question; the topK best go on, in that
// order. When the reranker is slow or down the question still gets an answer:
// the fused order is kept, and `retrieval.rerank.fallback` says why.
import type { EventRoutes } from '../../shared/http/event-function.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import type { ProblemError } from '../../shared/errors/problem-error.ts';
import type { Rerank } from './rerank-client.ts';

export const SOURCE = '/ragnative/rerank';

export function createRerankRoutes(rerank: Rerank, model: string): EventRoutes {
  return {
    'dev.ragnative.query.retrieved.v1': async (data, { traceparent, logger }) => {
      const started = performance.now();
      let passages = data.passages.slice(0, data.topK);
      let fallback: 'rerank_unavailable' | 'rerank_timeout' | undefined;
      if (data.passages.length > 0) {
        try {
          const scores = await rerank(data.query, data.passages.map((p) => p.text));
          passages = data.passages
            .map((passage, i) => ({ ...passage, score: scores[i]!, scores: { ...passage.scores, rerank: scores[i]! } }))
            .sort((a, b) => b.score - a.score)
            .slice(0, data.topK);
        } catch (error) {
          fallback = (error as ProblemError).code === 'deadline_exceeded' ? 'rerank_timeout' : 'rerank_unavailable';
          logger.warn('rerank.fallback', { queryId: data.queryId, reason: fallback, error: (error as Error).message });
        }
      }
      logger.info('rerank.completed', { queryId: data.queryId, candidates: data.passages.length, kept: passages.length, ms: Math.round(performance.now() - started), ...(fallback ? { fallback } : {}) });
      const retrieval = { ...data.retrieval, rerank: { model, ...(fallback ? { fallback } : {}) } };
      return makeEvent('dev.ragnative.query.reranked.v1', { ...data, passages, retrieval }, { source: SOURCE, subject: data.queryId, traceparent });
    },
  };
}
