// The expressions that select a document's rows. Every document row carries
// doc_seq, a fixed-width ordering token (GCS generation, S3 sequencer, file
// mtime, or the API's clock) so that versions compare as strings, and a deleted
// document keeps one tombstone row (chunk_index -1) holding its deletion's
// doc_seq, so an older event arriving late cannot bring it back.
import { stringLiteral } from './filter-expression.ts';

export const TOMBSTONE_INDEX = -1;
export const TOMBSTONE_VERSION = 'deleted';
/** Rows that are content, not tombstones. */
export const LIVE = `chunk_index >= 0`;

const doc = (docId: string) => `doc_id == ${stringLiteral(docId)}`;

export const documentFilter = {
  live: (docId: string) => `${doc(docId)} && ${LIVE}`,
  /** The rows one write (a version at a sequence) stored. */
  versionAt: (docId: string, version: string, sequence: string) => `${doc(docId)} && doc_version == ${stringLiteral(version)} && doc_seq == ${stringLiteral(sequence)}`,
  /** Any row, content or tombstone, written for a later sequence. */
  newerThan: (docId: string, sequence: string) => `${doc(docId)} && doc_seq > ${stringLiteral(sequence)}`,
  olderThan: (docId: string, sequence: string) => `${doc(docId)} && doc_seq < ${stringLiteral(sequence)}`,
  notNewerThan: (docId: string, sequence: string) => `${doc(docId)} && doc_seq <= ${stringLiteral(sequence)}`,
};

/** Ordering tokens are zero-padded to one width so that string order is numeric order. */
export const SEQUENCE_WIDTH = 32;

export function sequenceToken(value: bigint | string): string {
  const digits = typeof value === 'bigint' ? value.toString(16) : value.toLowerCase();
  if (!/^[0-9a-f]+$/.test(digits) || digits.length > SEQUENCE_WIDTH) throw new Error(`sequence must be at most ${SEQUENCE_WIDTH} hex digits`);
  return digits.padStart(SEQUENCE_WIDTH, '0');
}
