// A real MinIO server, its webhook notification pointed at ingest: uploading a
// file with an S3 client makes it searchable, deleting it makes it gone.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, DeleteObjectCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { eventually } from '../support/eventually.ts';
import { objectDocId } from '../support/object-doc-id.ts';
import { readJson } from '../support/read-json.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';

const run = promisify(execFile);
const PORT = '19000';
const credentials = { accessKeyId: 'ragnative', secretAccessKey: 'ragnative-secret' };
let stack: TestStack;
let minioHome: string;
let s3: S3Client;

const minio = (verb: 'start' | 'stop') =>
  run('bash', ['scripts/minio-local.sh', verb], {
    env: { ...process.env, MINIO_HOME: minioHome, MINIO_PORT: PORT, MINIO_WEBHOOK_ENDPOINT: stack.urls.ingest },
    timeout: 600_000,
  });

const docIdOf = objectDocId;


describe('MinIO bucket notifications', () => {
  before(async () => {
    minioHome = await mkdtemp(join(tmpdir(), 'ragnative-minio-'));
    stack = await startTestStack(18530, {
      S3_ENDPOINT: `http://127.0.0.1:${PORT}`,
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    });
    await minio('start');
    s3 = new S3Client({ endpoint: `http://127.0.0.1:${PORT}`, region: 'us-east-1', forcePathStyle: true, credentials });
    await s3.send(new CreateBucketCommand({ Bucket: 'docs' }));
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: 'docs',
      NotificationConfiguration: {
        QueueConfigurations: [{ QueueArn: 'arn:minio:sqs::RAGNATIVE:webhook', Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }],
      },
    }));
  });
  after(async () => {
    s3?.destroy();
    if (minioHome) await minio('stop').catch(() => undefined);
    await stack?.close();
    await rm(minioHome, { recursive: true, force: true });
  });

  const key = 'team handbook/vacation policy.md';
  const status = async () => {
    const response = await fetch(`${stack.url}/v1/documents/${docIdOf('docs', key)}`);
    return response.status === 200 ? readJson(response) : undefined;
  };

  it('makes an uploaded object searchable, with its metadata (tenant, tags, reader groups)', async () => {
    const body = '# Vacation policy\n\nEvery employee gets thirty days of vacation each year.';
    await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: key, Body: body, ContentType: 'text/markdown', Metadata: { tenant: 'acme', tags: 'hr,policy', groups: 'people-team, managers' } }));
    const indexed = await eventually(status, 'the upload to be indexed');
    assert.equal(indexed.tenant, 'acme');
    assert.deepEqual(indexed.groups, ['people-team', 'managers']);
    assert.equal(indexed.source, `docs/${key}`);
    const answer = await readJson(await postJson(`${stack.url}/v1/query`, { query: 'how many days of vacation', filter: { tags: ['hr'] } }));
    assert.equal(answer.citations[0].docId, docIdOf('docs', key));
  });

  it('removes a deleted object', async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: key }));
    await eventually(async () => ((await status()) ? undefined : true), 'the object to be removed');
  });
});
