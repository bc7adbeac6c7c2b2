// One catalogue: CloudEvent type -> zod schema for its data. Types are versioned;
// a breaking change adds `.v2` beside `.v1`.
import type { z } from 'zod';
import * as data from './data-schemas.ts';

export const CATALOGUE = {
  'dev.ragnative.query.received.v1': data.queryReceived,
  'dev.ragnative.query.embedded.v1': data.queryEmbedded,
  'dev.ragnative.query.retrieved.v1': data.queryRetrieved,
  /** The same passages, reordered by a cross-encoder (the optional rerank step). */
  'dev.ragnative.query.reranked.v1': data.queryRetrieved,
  'dev.ragnative.prompt.built.v1': data.promptBuilt,
  'dev.ragnative.answer.generated.v1': data.answerGenerated,
  'dev.ragnative.query.audited.v1': data.queryAudited,
  'dev.ragnative.document.chunked.v1': data.documentChunked,
  'dev.ragnative.chunks.embedded.v1': data.chunksEmbedded,
  'dev.ragnative.document.indexed.v1': data.documentIndexed,
  'dev.ragnative.document.deleted.v1': data.documentDeleted,
  'dev.ragnative.document.failed.v1': data.documentFailed,
  // Consumed, not produced: storage uploads and deletions, as Eventarc delivers them.
  'google.cloud.storage.object.v1.finalized': data.gcsObject,
  'google.cloud.storage.object.v1.deleted': data.gcsObject,
} as const;

export type EventType = keyof typeof CATALOGUE;
export type EventData<T extends EventType> = z.output<(typeof CATALOGUE)[T]>;
/** What a producer may pass before defaults are applied. */
export type EventInput<T extends EventType> = z.input<(typeof CATALOGUE)[T]>;
