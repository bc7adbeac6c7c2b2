import type { EventRoutes } from '../../shared/http/event-function.ts';
import type { Embedder } from '../../shared/embedding/embedder.ts';
import { makeEvent } from '../../shared/events/make-event.ts';

export const SOURCE = '/ragnative/embed';

export interface EmbedDeps {
  embedder: Embedder;
}

export function createEmbedRoutes({ embedder }: EmbedDeps): EventRoutes {
  return {
    'dev.ragnative.query.received.v1': async (data, { traceparent, logger, time }) => {
      const started = performance.now();
      const [vector] = await time('model', () => embedder.embed([data.query]));
      logger.info('embed.query_embedded', { queryId: data.queryId, ms: Math.round(performance.now() - started) });
      const embedded = { ...data, model: embedder.model, dim: vector!.length, vector: vector! };
      return makeEvent('dev.ragnative.query.embedded.v1', embedded, { source: SOURCE, subject: data.queryId, traceparent });
    },
    'dev.ragnative.document.chunked.v1': async (data, { traceparent, logger, time }) => {
      const started = performance.now();
      const vectors = await time('model', () => embedder.embed(data.chunks.map((chunk) => chunk.text)));
      logger.info('embed.chunks_embedded', { docId: data.document.id, chunks: vectors.length, ms: Math.round(performance.now() - started) });
      const embedded = { ...data, model: embedder.model, dim: vectors[0]!.length, vectors };
      return makeEvent('dev.ragnative.chunks.embedded.v1', embedded, { source: SOURCE, subject: data.document.id, traceparent });
    },
  };
}
