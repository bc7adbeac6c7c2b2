// Splits a document's chunks into bounded document.chunked payloads, so events
// stay small whatever the document's size.
import type { EventInput } from './catalogue.ts';

type Chunked = EventInput<'dev.ragnative.document.chunked.v1'>;

export function chunkBatches(document: Chunked['document'], chunks: Chunked['chunks'], perEvent: number): Chunked[] {
  const count = Math.ceil(chunks.length / perEvent);
  return Array.from({ length: count }, (_, index) => ({
    document,
    batch: { index, count, totalChunks: chunks.length },
    chunks: chunks.slice(index * perEvent, (index + 1) * perEvent),
  }));
}
