// Ordering tokens. Every change to a document carries one: later wins. A
// document's tokens all come from one clock domain, because its id says where
// it lives (see document-id.ts): a bucket object's changes are ordered by that
// bucket (GCS generation, S3 sequencer, the local folder's nanosecond mtime and
// deletion time), an API document's by the query function's clock. The domains
// are never compared with each other.

/** Ordering tokens are zero-padded to one width so that string order is numeric order. */
export const SEQUENCE_WIDTH = 32;

export function sequenceToken(value: bigint | string): string {
  const digits = typeof value === 'bigint' ? value.toString(16) : value.toLowerCase();
  if (!/^[0-9a-f]{1,32}$/.test(digits)) throw new Error(`sequence must be 1 to ${SEQUENCE_WIDTH} hex digits`);
  return digits.padStart(SEQUENCE_WIDTH, '0');
}

let last = 0n;

/**
 * The ordering token for changes made through the HTTP API: wall-clock
 * nanoseconds, strictly increasing within a process, so the latest request wins.
 */
export function clockSequence(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  last = now > last ? now : last + 1n;
  return sequenceToken(last);
}
