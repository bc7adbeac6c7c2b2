// The expressions that select a document's rows. Every document row carries
// doc_seq, a fixed-width ordering token (shared/identity/sequence.ts) so that
// versions compare as strings, and a deleted document keeps one tombstone row
// (chunk_index -1) holding its deletion's doc_seq, so an older event arriving
// late cannot bring it back. A document is selected within its tenant (bucket
// objects by id alone: see shared/identity/document-id.ts).
import { isBucketDocument, type DocumentRef } from '../identity/document-id.ts';
import { stringLiteral } from './filter-expression.ts';

export const TOMBSTONE_INDEX = -1;
export const TOMBSTONE_VERSION = 'deleted';
/** Rows that are content, not tombstones. */
export const LIVE = `chunk_index >= 0`;

function doc(ref: DocumentRef): string {
  const id = `doc_id == ${stringLiteral(ref.id)}`;
  return isBucketDocument(ref.id) ? id : `tenant == ${stringLiteral(ref.tenant)} && ${id}`;
}

/** Where a row was written: enough to tell which document, and which write, it belongs to. */
export interface RowPlace {
  doc_id: string;
  tenant: string;
  doc_seq: string;
}

/** Whether a row belongs to the document, by the same rule as the expressions below. */
export function isRowOf(ref: DocumentRef, row: RowPlace): boolean {
  return row.doc_id === ref.id && (isBucketDocument(ref.id) || row.tenant === ref.tenant);
}

export const documentFilter = {
  live: (ref: DocumentRef) => `${doc(ref)} && ${LIVE}`,
  /** The rows one write (a version at a sequence) stored. */
  versionAt: (ref: DocumentRef, version: string, sequence: string) => `${doc(ref)} && doc_version == ${stringLiteral(version)} && doc_seq == ${stringLiteral(sequence)}`,
  /** Any row, content or tombstone, written for a later sequence. */
  newerThan: (ref: DocumentRef, sequence: string) => `${doc(ref)} && doc_seq > ${stringLiteral(sequence)}`,
  olderThan: (ref: DocumentRef, sequence: string) => `${doc(ref)} && doc_seq < ${stringLiteral(sequence)}`,
  notNewerThan: (ref: DocumentRef, sequence: string) => `${doc(ref)} && doc_seq <= ${stringLiteral(sequence)}`,
};
