// POST /v1/documents: prepare (parse, redact, chunk) in a preparation worker,
// then send bounded document.chunked batches through embed and index, exactly
// as the event chain would.
import type { LimitsConfig, StepsConfig } from '../../shared/config/schemas.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import type { EventData } from '../../shared/events/catalogue.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { callStep, requireReply } from '../../shared/http/step-client.ts';
import { chunkBatches } from '../../shared/events/chunk-batches.ts';
import type { DocumentPreparer } from '../../shared/documents/document-preparer.ts';
import { preparedMetadata, type DocumentInput } from '../../shared/documents/prepared-document.ts';
import { clockSequence } from '../../shared/identity/sequence.ts';
import type { DocumentRef } from '../../shared/identity/document-id.ts';
import type { DocumentFields } from './api-schemas.ts';
import { SOURCE } from './run-query.ts';
import { createTimings } from './timings.ts';

export interface IngestContext {
  steps: StepsConfig;
  limits: LimitsConfig;
  prepare: DocumentPreparer['prepare'];
  /** The stored version of a document, to tell a concurrent identical write from a lost one. */
  storedVersion: () => Promise<{ version: string; collection: string } | undefined>;
  traceparent: string | undefined;
  signal: AbortSignal;
}

/** The request, its tenant and id resolved by the caller's identity. */
export async function ingestDocument(request: DocumentFields & DocumentRef, input: DocumentInput, ctx: IngestContext) {
  const { steps, limits } = ctx;
  const timings = createTimings();
  const prepared = await timings.time('prepare', () => ctx.prepare(input, ctx.signal));
  const { version, chunks, pii, warnings } = prepared;
  const document = {
    id: request.id,
    version,
    sequence: clockSequence(),
    source: request.source,
    tenant: request.tenant,
    tags: request.tags,
    groups: request.groups,
    contentType: prepared.contentType,
    metadata: { ...request.metadata, ...preparedMetadata(prepared) },
  };
  const options = { source: SOURCE, subject: document.id, traceparent: ctx.traceparent };
  const call = { timeoutMs: steps.STEP_TIMEOUT_MS, signal: ctx.signal };
  let indexed: EventData<'dev.ragnative.document.indexed.v1'> | null = null;
  let model = '';
  for (const chunked of chunkBatches(document, chunks, limits.CHUNKS_PER_EVENT)) {
    const embedded = await timings.time('embed', async () =>
      requireReply('embed', await callStep({ ...call, step: 'embed', url: steps.EMBED_URL, expect: 'dev.ragnative.chunks.embedded.v1', event: makeEvent('dev.ragnative.document.chunked.v1', chunked, options) })),
    );
    model = embedded.model;
    indexed = await timings.time('index', () =>
      callStep({ ...call, step: 'index', url: steps.INDEX_URL, expect: 'dev.ragnative.document.indexed.v1', event: makeEvent('dev.ragnative.chunks.embedded.v1', embedded, options) }),
    );
  }
  if (!indexed) {
    // A concurrent write with a later sequence won. The same content (a retried or replayed request) is success.
    const stored = await ctx.storedVersion();
    if (stored?.version !== version) throw new ProblemError('superseded', 'Another write of this document, made at the same time, replaced this one; read it again');
    // The same content has the same chunks (the stored count may include another in-flight write's rows).
    indexed = { docId: document.id, tenant: document.tenant, version, chunkCount: chunks.length, collection: stored.collection, model };
  }
  return { id: document.id, tenant: document.tenant, version, chunks: indexed.chunkCount, collection: indexed.collection, embeddingModel: model, format: prepared.format, pii, warnings, timings: timings.done() };
}
