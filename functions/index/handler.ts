// Idempotent indexing: deterministic chunk ids make a redelivered batch an upsert
// of identical rows. A document version is complete when all its chunks are
// stored, whatever order the batches arrived in; only then are older versions
// removed and `document.indexed` emitted. Incomplete: 202, nothing published.
import type { EventRoutes } from '../../shared/http/event-function.ts';
import type { EventData } from '../../shared/events/catalogue.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { chunkId, type ChunkRow, type ChunkStore } from '../../shared/milvus/chunk-store.ts';

export const SOURCE = '/ragnative/index';

export interface IndexDeps {
  store: Pick<ChunkStore, 'upsert' | 'countVersion' | 'deleteOtherVersions'>;
}

function toRows(data: EventData<'dev.ragnative.chunks.embedded.v1'>): ChunkRow[] {
  const { document, chunks, vectors, dim } = data;
  if (vectors.length !== chunks.length) {
    throw new ProblemError('invalid_event_data', `${chunks.length} chunks but ${vectors.length} vectors`);
  }
  return chunks.map((chunk, i) => {
    const vector = vectors[i]!;
    if (vector.length !== dim) throw new ProblemError('dimension_mismatch', `vector ${i} has ${vector.length} dimensions, expected ${dim}`);
    return {
      id: chunkId(document.id, document.version, chunk.index),
      doc_id: document.id,
      doc_version: document.version,
      chunk_index: chunk.index,
      source: document.source,
      tenant: document.tenant,
      tags: document.tags,
      content_type: document.contentType,
      text: chunk.text,
      metadata: document.metadata,
      vector,
    };
  });
}

export function createIndexRoutes({ store }: IndexDeps): EventRoutes {
  return {
    'dev.ragnative.chunks.embedded.v1': async (data, { traceparent, logger }) => {
      const { document, batch } = data;
      const collection = await store.upsert(data.model, data.dim, toRows(data));
      const stored = await store.countVersion(collection, document.id, document.version);
      logger.info('index.batch_upserted', { docId: document.id, batch: batch.index, stored, total: batch.totalChunks });
      if (stored < batch.totalChunks) return null;
      await store.deleteOtherVersions(collection, document.id, document.version);
      const indexed = { docId: document.id, version: document.version, chunkCount: stored, collection, model: data.model };
      return makeEvent('dev.ragnative.document.indexed.v1', indexed, { source: SOURCE, subject: document.id, traceparent });
    },
  };
}
