// Reads an object's bytes: from the watched local folder for the local bucket,
// otherwise over the S3 API (MinIO, S3, or GCS through its S3 interoperability).
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { readFile, realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { StorageConfig } from '../../shared/config/schemas.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';

export interface StoredObject {
  bytes: Uint8Array;
  contentType: string | undefined;
}

export interface ObjectReader {
  /** The object, or undefined when it no longer exists (deleted since the event). */
  read(bucket: string, key: string, maxBytes: number): Promise<StoredObject | undefined>;
}

const tooLarge = (maxBytes: number) => new ProblemError('payload_too_large', `The object exceeds ${maxBytes} bytes`);

export function createObjectReader(config: StorageConfig): ObjectReader {
  const root = resolve(config.RAG_WATCH_DIR);
  let s3: S3Client | undefined;
  const client = () =>
    (s3 ??= new S3Client({
      region: config.S3_REGION,
      ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT, forcePathStyle: true } : {}),
      ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? { credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY } }
        : {}),
      maxAttempts: 2,
    }));

  const readLocal = async (key: string, maxBytes: number): Promise<StoredObject | undefined> => {
    const path = resolve(root, key);
    if (!path.startsWith(root + sep)) throw new ProblemError('invalid_request', 'The object key leaves the bucket');
    // A symbolic link inside the folder may point anywhere: follow it only where it stays inside.
    const [real, realRoot] = await Promise.all([realpath(path).catch(() => undefined), realpath(root)]);
    if (real === undefined) return undefined;
    if (!real.startsWith(realRoot + sep)) throw new ProblemError('invalid_request', 'The object is a link that leaves the bucket');
    const info = await stat(real).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    if (info.size > maxBytes) throw tooLarge(maxBytes);
    return { bytes: await readFile(real), contentType: undefined };
  };

  const readS3 = async (bucket: string, key: string, maxBytes: number): Promise<StoredObject | undefined> => {
    try {
      const object = await client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if ((object.ContentLength ?? 0) > maxBytes) throw tooLarge(maxBytes);
      return { bytes: await object.Body!.transformToByteArray(), contentType: object.ContentType };
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      if (error instanceof ProblemError) throw error;
      throw new ProblemError('step_unavailable', `Object store read failed: ${String((error as Error).message).slice(0, 200)}`, { cause: error });
    }
  };

  return {
    read: (bucket, key, maxBytes) => (bucket === config.LOCAL_BUCKET_NAME ? readLocal(key, maxBytes) : readS3(bucket, key, maxBytes)),
  };
}
