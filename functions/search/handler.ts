import type { EventRoutes } from '../../shared/http/event-function.ts';
import type { SearchConfig } from '../../shared/config/schemas.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import type { ChunkStore } from '../../shared/milvus/chunk-store.ts';
import type { SearchSettings } from '../../shared/milvus/chunk-search.ts';

export const SOURCE = '/ragnative/search';

export interface SearchDeps {
  store: Pick<ChunkStore, 'search'>;
  config: SearchConfig;
}

export function searchSettings(config: SearchConfig): SearchSettings {
  const fusion = config.SEARCH_FUSION === 'rrf' ? { method: 'rrf' as const, k: config.SEARCH_RRF_K } : { method: 'weighted' as const, keywordWeight: config.SEARCH_KEYWORD_WEIGHT };
  return { fusion, candidates: config.SEARCH_CANDIDATES };
}

export function createSearchRoutes({ store, config }: SearchDeps): EventRoutes {
  const settings = searchSettings(config);
  return {
    'dev.ragnative.query.embedded.v1': async (data, { traceparent, logger, time }) => {
      // Only the query function's operators (bound to no tenant) may search every tenant.
      if (data.filter.tenant === undefined && !data.principal?.operator) {
        throw new ProblemError('forbidden', 'A question without a tenant must come from an operator principal');
      }
      const started = performance.now();
      const { vector, dim: _dim, retrieval: asked, ...rest } = data; // vectors travel only where needed
      // A rerank step after this one chooses topK from `candidates`.
      const request = { vector, question: data.query, topK: Math.max(data.topK, data.candidates ?? 0), filter: data.filter, mode: asked.mode };
      const { passages, retrieval } = await time('milvus', () => store.search(data.model, request, settings));
      logger.info('search.completed', { queryId: data.queryId, hits: passages.length, mode: retrieval.mode, ms: Math.round(performance.now() - started) });
      return makeEvent('dev.ragnative.query.retrieved.v1', { ...rest, passages, retrieval }, { source: SOURCE, subject: data.queryId, traceparent });
    },
  };
}
