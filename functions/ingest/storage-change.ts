// Storage notifications, whatever their origin, as one shape: GCS object
// CloudEvents (as Eventarc delivers them, also emitted by the local watched
// folder) and MinIO/S3 bucket notifications (plain JSON, not CloudEvents).
import { z } from 'zod';
import type { EventData } from '../../shared/events/catalogue.ts';
import { sequenceToken } from '../../shared/identity/sequence.ts';

export interface StorageChange {
  action: 'upsert' | 'delete';
  bucket: string;
  key: string;
  /** Orders changes to one object: GCS generation, S3 sequencer. */
  sequence: string;
  contentType: string | undefined;
  metadata: Record<string, string>;
  occurredAt: string | undefined;
  /** The change was announced again, not made (the local bucket at start): it may be indexed already. */
  restated: boolean;
}

/** The CloudEvent extension that marks a restated change. */
export const RESTATED = 'ragnativerestated';

export type GcsObject = EventData<'google.cloud.storage.object.v1.finalized'>;

export function fromGcsEvent(type: string, object: GcsObject, restated = false): StorageChange {
  return {
    restated,
    action: type.endsWith('.deleted') ? 'delete' : 'upsert',
    bucket: object.bucket,
    key: object.name,
    sequence: sequenceToken(BigInt(object.generation)),
    contentType: object.contentType,
    metadata: object.metadata ?? {},
    occurredAt: object.updated ?? object.timeCreated,
  };
}

// https://min.io/docs/minio/linux/administration/monitoring/bucket-notifications.html
const minioRecord = z.object({
  eventName: z.string().regex(/^s3:Object(Created|Removed):/),
  eventTime: z.iso.datetime({ offset: true }).optional(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      contentType: z.string().optional(),
      userMetadata: z.record(z.string(), z.string()).optional(),
      sequencer: z.string().regex(/^[0-9A-Fa-f]{1,32}$/),
    }),
  }),
});

export const minioNotification = z.object({ EventName: z.string(), Records: z.array(minioRecord).min(1).max(100) });

export function isMinioNotification(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'EventName' in body && 'Records' in body;
}

/** User metadata arrives as X-Amz-Meta-<Name>: keep lowercased names without the prefix. */
function userMetadata(raw: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw)
      .filter(([name]) => /^x-amz-meta-/i.test(name))
      .map(([name, value]) => [name.slice('x-amz-meta-'.length).toLowerCase(), value]),
  );
}

export function fromMinioNotification(notification: z.output<typeof minioNotification>): StorageChange[] {
  return notification.Records.map(({ eventName, eventTime, s3 }) => ({
    action: eventName.startsWith('s3:ObjectRemoved:') ? 'delete' : 'upsert',
    bucket: s3.bucket.name,
    // Keys are URL-encoded in S3-style notifications, with + for spaces.
    key: decodeURIComponent(s3.object.key.replace(/\+/g, ' ')),
    sequence: sequenceToken(s3.object.sequencer),
    contentType: s3.object.contentType,
    metadata: userMetadata(s3.object.userMetadata),
    occurredAt: eventTime,
    restated: false,
  }));
}
