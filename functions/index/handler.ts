// Idempotent, order-safe indexing. Deterministic chunk ids make a redelivered
// batch an upsert of identical rows. A version is complete when all its chunks
// are stored, whatever order its batches arrived in; then older versions (and an
// older tombstone) are removed and `document.indexed` is emitted. A version that
// is older than what is stored (a newer version or a deletion) is never written,
// and one that lost a race to a newer version removes itself: the newest wins.
// Every expression names the document within its tenant, so no write of one
// tenant can touch another's rows. Concurrent batches are written in groups
// (batched-writer.ts).
import type { EventRoutes } from '../../shared/http/event-function.ts';
import type { EventData } from '../../shared/events/catalogue.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { chunkId } from '../../shared/identity/document-id.ts';
import type { ChunkRow, ChunkStore } from '../../shared/milvus/chunk-store.ts';
import { createBatchedWriter } from './batched-writer.ts';

export const SOURCE = '/ragnative/index';

export interface IndexDeps {
  store: Pick<ChunkStore, 'prepare' | 'placesOf' | 'upsert' | 'count' | 'deleteWhere'>;
  /** The embedding model this index step writes for (EMBED_MODEL): vectors of any other go nowhere. */
  model: string;
}

type Embedded = EventData<'dev.ragnative.chunks.embedded.v1'>;

function toRows({ document, chunks, vectors, dim }: Embedded): ChunkRow[] {
  if (vectors.length !== chunks.length) {
    throw new ProblemError('invalid_event_data', `${chunks.length} chunks but ${vectors.length} vectors`);
  }
  return chunks.map((chunk, i) => {
    const vector = vectors[i]!;
    if (vector.length !== dim) throw new ProblemError('dimension_mismatch', `vector ${i} has ${vector.length} dimensions, expected ${dim}`);
    return {
      id: chunkId(document, document.version, document.sequence, chunk.index),
      doc_id: document.id,
      doc_version: document.version,
      doc_seq: document.sequence,
      chunk_index: chunk.index,
      source: document.source,
      tenant: document.tenant,
      tags: document.tags,
      groups: document.groups,
      content_type: document.contentType,
      page: chunk.page ?? 0,
      section: chunk.section ?? '',
      sheet: chunk.sheet ?? '',
      text: chunk.text,
      metadata: document.metadata,
      vector,
    };
  });
}

export function createIndexRoutes({ store, model }: IndexDeps): EventRoutes {
  const writer = createBatchedWriter(store);
  return {
    'dev.ragnative.chunks.embedded.v1': async (data, { traceparent, logger }) => {
      const { document, batch } = data;
      if (data.model !== model) {
        throw new ProblemError('model_mismatch', `This index step writes ${model} vectors; the event carries ${data.model.slice(0, 100)}`);
      }
      const rows = toRows(data);
      const collection = await store.prepare(data.model, data.dim);
      const outcome = await writer.write({ collection, document, batch, rows });
      const fields = { docId: document.id, version: document.version };
      if (outcome.kind === 'stale' || outcome.kind === 'superseded') {
        logger.info(outcome.kind === 'stale' ? 'index.stale_version_skipped' : 'index.stale_version_removed', fields);
        return null;
      }
      logger.info('index.batch_upserted', { ...fields, batch: batch.index, stored: outcome.stored, total: batch.totalChunks });
      if (outcome.kind === 'partial') return null;
      const latency = document.uploadedAt ? { latencyMs: Date.now() - Date.parse(document.uploadedAt) } : {};
      const indexed = { docId: document.id, tenant: document.tenant, version: document.version, chunkCount: outcome.stored, collection, model: data.model, ...latency };
      return makeEvent('dev.ragnative.document.indexed.v1', indexed, { source: SOURCE, subject: document.id, traceparent });
    },
  };
}
