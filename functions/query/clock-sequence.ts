import { sequenceToken } from '../../shared/milvus/document-filters.ts';

let last = 0n;

/**
 * The ordering token for changes made through the HTTP API: wall-clock
 * nanoseconds, strictly increasing within a process, so the latest request wins.
 * (Storage events carry their own: GCS generation, S3 sequencer, file mtime.)
 */
export function clockSequence(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  last = now > last ? now : last + 1n;
  return sequenceToken(last);
}
