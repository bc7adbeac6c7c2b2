import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentIdentity } from '../../functions/ingest/document-identity.ts';
import { fromGcsEvent, fromMinioNotification, minioNotification } from '../../functions/ingest/storage-change.ts';

const minio = (eventName: string, key: string, sequencer: string) =>
  minioNotification.parse({
    EventName: eventName,
    Key: `docs/${key}`,
    Records: [{ eventName, eventTime: '2026-11-25T10:00:00.000Z', s3: { bucket: { name: 'docs' }, object: { key, sequencer, contentType: 'text/markdown', userMetadata: { 'X-Amz-Meta-Tenant': 'acme', 'content-type': 'text/markdown' } } } }],
  });

describe('storage changes', () => {
  it('reads MinIO notifications: URL-encoded keys, user metadata, sequencer order', () => {
    const [created] = fromMinioNotification(minio('s3:ObjectCreated:Put', 'my+notes/caf%C3%A9+menu.md', '17B0A0C0D0E0F001'));
    assert.equal(created!.action, 'upsert');
    assert.equal(created!.key, 'my notes/café menu.md');
    assert.deepEqual(created!.metadata, { tenant: 'acme' });
    const [removed] = fromMinioNotification(minio('s3:ObjectRemoved:Delete', 'my+notes/caf%C3%A9+menu.md', '17B0A0C0D0E0F002'));
    assert.equal(removed!.action, 'delete');
    assert.ok(removed!.sequence > created!.sequence);
  });

  it('reads GCS object events: generation order', () => {
    const object = { bucket: 'b', name: 'a.md', generation: '1700000000000002' };
    const older = fromGcsEvent('google.cloud.storage.object.v1.finalized', { ...object, generation: '999999999999999' });
    const newer = fromGcsEvent('google.cloud.storage.object.v1.deleted', object);
    assert.equal(newer.action, 'delete');
    assert.ok(newer.sequence > older.sequence, 'a shorter number is older, even as a string');
  });

  it('derives one document per object, with tenant from metadata or local folder', () => {
    const change = fromGcsEvent('google.cloud.storage.object.v1.finalized', { bucket: 'local', name: 'acme/policies/a.md', generation: '1' });
    const a = documentIdentity(change, 'local');
    assert.equal(a.tenant, 'acme');
    assert.equal(a.source, 'local/acme/policies/a.md');
    assert.equal(a.id, documentIdentity({ ...change, action: 'delete' }, 'local').id);
    assert.equal(documentIdentity({ ...change, bucket: 'other' }, 'local').tenant, 'default');
    assert.equal(documentIdentity({ ...change, metadata: { tenant: 'zeta', tags: 'hr, policy' } }, 'local').tags.join(), 'hr,policy');
  });
});
