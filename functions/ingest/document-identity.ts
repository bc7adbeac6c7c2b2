// A stored object's document identity: a deterministic id from bucket and key
// (every change to one object addresses one document: shared/identity/), its
// source, and the tenant, tags and reader groups its metadata (or, for the
// tenant in the local bucket, its folder) assigns. Metadata `tags` and `groups`
// are comma-separated.
import { bucketDocumentId } from '../../shared/identity/document-id.ts';
import type { StorageChange } from './storage-change.ts';

export interface DocumentIdentity {
  id: string;
  source: string;
  tenant: string;
  tags: string[];
  groups: string[];
}

const LABEL = /^[^\u0000-\u001f]{1,256}$/;

export function documentIdentity(change: StorageChange, localBucket: string): DocumentIdentity {
  const source = `${change.bucket}/${change.key}`;
  const folders = change.key.split('/').slice(0, -1);
  const tenant = change.metadata.tenant ?? (change.bucket === localBucket && folders.length > 0 ? folders[0]! : 'default');
  const labels = (value: string | undefined) => (value ?? '').split(',').map((t) => t.trim()).filter((t) => LABEL.test(t)).slice(0, 32);
  return {
    id: bucketDocumentId(change.bucket, change.key),
    source: source.slice(0, 1024),
    tenant: LABEL.test(tenant) ? tenant : 'default',
    tags: labels(change.metadata.tags),
    groups: labels(change.metadata.groups),
  };
}
