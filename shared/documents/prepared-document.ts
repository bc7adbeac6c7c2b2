// A document as the functions hand it to a preparation worker, and what comes
// back. Kept apart from prepare-document.ts so that the functions' own processes
// do not load the parsers (pdf.js, mammoth …), which only the workers need.
import type { PiiCounts } from '../text/redact-pii.ts';
import type { DocumentFormat, DocumentWarning } from './blocks.ts';
import type { StructuredChunk } from './chunk-blocks.ts';

export interface DocumentInput {
  bytes: Uint8Array;
  /** The declared media type, if any (parameters are ignored). */
  contentType: string | undefined;
  /** The object key or file name, for its extension. */
  name: string;
}

export interface PreparedDocument {
  format: DocumentFormat;
  /** The canonical media type of the format found. */
  contentType: string;
  version: string;
  chunks: StructuredChunk[];
  pii: PiiCounts;
  warnings: DocumentWarning[];
}

/**
 * What a prepared document adds to its stored metadata: its chunk count (every
 * row then tells how many rows a complete write has: ChunkStore.isIndexedAt),
 * PII counts, and the warnings when there are any.
 */
export function preparedMetadata({ chunks, pii, warnings }: PreparedDocument): { chunks: number; pii: PiiCounts; warnings?: { code: string; detail: string }[] } {
  return { chunks: chunks.length, pii, ...(warnings.length > 0 ? { warnings: warnings.map(({ code, detail }) => ({ code, detail })) } : {}) };
}
