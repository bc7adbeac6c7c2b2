// One storage change: a deletion removes the document (leaving a tombstone at
// the change's sequence); a restated upload (the local bucket announcing its
// files again at start) already indexed at its sequence costs one Milvus query
// and nothing else (new uploads skip that query: on Milvus Lite it scans the
// unsealed rows); any other upload is read, then parsed, redacted and chunked
// by structure in a preparation worker, and published as bounded
// document.chunked batches. Failures that cannot succeed on retry publish
// document.failed and answer 4xx, so the Broker stops retrying.
import type { LimitsConfig } from '../../shared/config/schemas.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { ProblemError, toProblemError } from '../../shared/errors/problem-error.ts';
import type { Publish } from '../../shared/http/publish-event.ts';
import type { ChunkStore } from '../../shared/milvus/chunk-store.ts';
import type { Logger } from '../../shared/observability/logger.ts';
import { traceFor } from '../../shared/observability/tracing.ts';
import { documentIdentity, type DocumentIdentity } from './document-identity.ts';
import type { ObjectReader } from './object-reader.ts';
import type { DocumentPreparer } from '../../shared/documents/document-preparer.ts';
import { preparedMetadata } from '../../shared/documents/prepared-document.ts';
import { chunkBatches } from '../../shared/events/chunk-batches.ts';
import type { StorageChange } from './storage-change.ts';

export const SOURCE = '/ragnative/ingest';

export interface IngestDeps {
  objects: ObjectReader;
  store: Pick<ChunkStore, 'deleteDocument' | 'collectionFor' | 'isIndexedAt'>;
  publish: Publish;
  prepare: DocumentPreparer['prepare'];
  /** The embedding model's name, which selects the collection for deletions. */
  embeddingModel: string;
  limits: LimitsConfig;
  localBucket: string;
}

export interface IngestContext {
  traceparent: string | undefined;
  logger: Logger;
}

async function remove(change: StorageChange, doc: DocumentIdentity, deps: IngestDeps, ctx: IngestContext): Promise<void> {
  const chunkCount = await deps.store.deleteDocument(deps.embeddingModel, doc, change.sequence);
  ctx.logger.info('ingest.deleted', { docId: doc.id, chunks: chunkCount });
  const deleted = { docId: doc.id, tenant: doc.tenant, chunkCount, collection: deps.store.collectionFor(deps.embeddingModel) };
  await deps.publish(makeEvent('dev.ragnative.document.deleted.v1', deleted, { source: SOURCE, subject: doc.id, traceparent: ctx.traceparent }));
}

async function upload(change: StorageChange, doc: DocumentIdentity, deps: IngestDeps, ctx: IngestContext): Promise<void> {
  if (change.restated && (await deps.store.isIndexedAt(deps.embeddingModel, doc, change.sequence))) return void ctx.logger.info('ingest.unchanged', { docId: doc.id });
  const object = await deps.objects.read(change.bucket, change.key, deps.limits.MAX_DOCUMENT_BYTES);
  if (!object) return void ctx.logger.info('ingest.object_gone', { docId: doc.id }); // a later deletion follows
  const prepared = await deps.prepare({ bytes: object.bytes, contentType: change.contentType ?? object.contentType, name: change.key });
  const { version, chunks, pii, warnings } = prepared;
  const document = {
    ...doc,
    version,
    sequence: change.sequence,
    contentType: prepared.contentType,
    metadata: preparedMetadata(prepared),
    ...(change.occurredAt ? { uploadedAt: new Date(change.occurredAt).toISOString() } : {}),
  };
  const batches = chunkBatches(document, chunks, deps.limits.CHUNKS_PER_EVENT);
  for (const batch of batches) {
    await deps.publish(makeEvent('dev.ragnative.document.chunked.v1', batch, { source: SOURCE, subject: doc.id, traceparent: ctx.traceparent }));
  }
  ctx.logger.info('ingest.chunked', { docId: doc.id, format: prepared.format, chunks: chunks.length, batches: batches.length, pii, warnings });
}

export async function ingestChange(change: StorageChange, deps: IngestDeps, { traceparent, logger }: IngestContext): Promise<void> {
  const doc = documentIdentity(change, deps.localBucket);
  const ctx = { traceparent: traceFor(traceparent), logger }; // one trace from upload to indexed
  try {
    await (change.action === 'delete' ? remove(change, doc, deps, ctx) : upload(change, doc, deps, ctx));
  } catch (error) {
    const problem = toProblemError(error);
    if (problem.retryable) throw problem;
    const failed = { docId: doc.id, tenant: doc.tenant, source: doc.source, reason: problem.code, detail: problem.message };
    await deps.publish(makeEvent('dev.ragnative.document.failed.v1', failed, { source: SOURCE, subject: doc.id, traceparent: ctx.traceparent }));
    throw problem.status === 400 || problem.status === 413 || problem.status === 415 || problem.status === 422
      ? problem
      : new ProblemError('upstream_rejected', problem.message, { cause: problem });
  }
}
