import type { EventRoutes } from '../../shared/http/event-function.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import type { ChunkStore } from '../../shared/milvus/chunk-store.ts';

export const SOURCE = '/ragnative/search';

export interface SearchDeps {
  store: Pick<ChunkStore, 'search'>;
}

export function createSearchRoutes({ store }: SearchDeps): EventRoutes {
  return {
    'dev.ragnative.query.embedded.v1': async (data, { traceparent, logger }) => {
      const started = performance.now();
      const passages = await store.search(data.model, data.vector, data.topK, data.filter);
      logger.info('search.completed', { queryId: data.queryId, hits: passages.length, ms: Math.round(performance.now() - started) });
      const { vector: _vector, dim: _dim, ...rest } = data; // vectors travel only where needed
      return makeEvent('dev.ragnative.query.retrieved.v1', { ...rest, passages }, { source: SOURCE, subject: data.queryId, traceparent });
    },
  };
}
