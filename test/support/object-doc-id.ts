import { createHash } from 'node:crypto';

/** The document id ingest gives an object, computed independently of the code under test. */
export const objectDocId = (bucket: string, key: string) => `obj-${createHash('sha256').update(`${bucket}/${key}`).digest('hex').slice(0, 24)}`;
