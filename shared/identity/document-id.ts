// Who a document is. Its identity is (tenant, id): the same id in two tenants
// names two documents, and nothing written for one can touch the other's rows.
//
// Ids come from two namespaces that never meet:
// - `obj-…` ids belong to bucket objects (derived from bucket and key). One
//   object is one document, filed under the tenant its metadata or folder names;
//   only storage events write them (the API refuses such ids), and all of one
//   object's changes come from one bucket, so they share one clock domain. A
//   deletion notification need not repeat the tenant (MinIO's do not), so these
//   documents are found by id alone.
// - every other id is an API document, scoped by the caller's tenant, ordered by
//   the query function's clock.
import { createHash } from 'node:crypto';

export interface DocumentRef {
  tenant: string;
  id: string;
}

export const BUCKET_ID_PREFIX = 'obj-';
/** The tenant of documents written without one (authentication disabled, or an operator naming none). */
export const DEFAULT_TENANT = 'default';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const isBucketDocument = (id: string): boolean => id.startsWith(BUCKET_ID_PREFIX);

export function bucketDocumentId(bucket: string, key: string): string {
  return `${BUCKET_ID_PREFIX}${sha256(`${bucket}/${key}`).slice(0, 24)}`;
}

/** Without an explicit id, an API document's id derives from its source, so re-posting a source replaces it. */
export function apiDocumentId(source: string): string {
  return `doc-${sha256(source).slice(0, 24)}`;
}

/** The key a document's rows are stored under: its id within its tenant (bucket objects: the object alone). */
export function documentKey(ref: DocumentRef): string {
  return sha256(isBucketDocument(ref.id) ? ref.id : `${ref.tenant}\u0000${ref.id}`).slice(0, 32);
}

/**
 * Deterministic chunk id: the same write (document version and ordering
 * sequence) and index always map to the same row, so redelivery is idempotent,
 * while two writes of the same content never share rows, so the older one can
 * never re-stamp or remove the newer one's.
 */
export function chunkId(ref: DocumentRef, version: string, sequence: string, index: number): string {
  return `${documentKey(ref)}:${version}:${sequence}:${index}`;
}

/** One tombstone per document: a later deletion replaces it. */
export function tombstoneId(ref: DocumentRef): string {
  return `${documentKey(ref)}:deleted`;
}
