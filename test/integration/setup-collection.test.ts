// The collection setup step against the real local Milvus: idempotent, indexed
// per milvus/index.json, loaded; and it refuses a model whose dimension differs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { dropCollections } from '../../scripts/drop-collections.ts';
import { TEST_MODEL_DIR } from '../../scripts/models/make-test-model.ts';
import { INDEX, SCHEMA_VERSION } from '../../shared/milvus/collection.ts';
import { createChunkStore } from '../../shared/milvus/chunk-store.ts';
import { createMilvusConnection } from '../../shared/milvus/milvus-client.ts';
import { MILVUS_ADDRESS } from '../support/test-stack.ts';

const run = promisify(execFile);
const prefix = `setup_${process.pid}`;
const env = { ...process.env, EMBED_MODEL: resolve(TEST_MODEL_DIR), EMBED_ALLOW_REMOTE: 'false', MILVUS_ADDRESS, MILVUS_COLLECTION_PREFIX: prefix, LOG_LEVEL: 'info' };
const setup = (extra: Record<string, string> = {}) => run(process.execPath, ['--import', 'tsx', 'scripts/setup-collection.ts'], { env: { ...env, ...extra }, timeout: 120_000 });
const client = new MilvusClient({ address: MILVUS_ADDRESS, telemetry: { enabled: false }, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
const collection = `${prefix}_ragnative_test_64d_s${SCHEMA_VERSION}`;

after(async () => {
  await dropCollections(client, prefix);
  await client.closeConnection();
});

describe('collection setup', () => {
  it('creates, indexes and loads the collection, and is idempotent', async () => {
    for (let i = 0; i < 2; i++) {
      const { stdout } = await setup();
      const line = JSON.parse(stdout.trim().split('\n').find((l) => l.includes('setup.collection_ready'))!);
      assert.deepEqual([line.collection, line.dim], [collection, 64]);
    }
    const index = await client.describeIndex({ collection_name: collection, field_name: 'vector' });
    const params = Object.fromEntries(index.index_descriptions[0]!.params.map((p) => [p.key, p.value]));
    assert.equal(params.index_type, INDEX.index_type);
    assert.equal(params.metric_type, INDEX.metric_type);
    assert.deepEqual(JSON.parse(String(params.params)), INDEX.params);
    const state = await client.getLoadState({ collection_name: collection });
    assert.equal(state.state, 'LoadStateLoaded');
  });

  it('fails, naming the problem, when the collection holds another dimension', async () => {
    const other = `${prefix}_mismatch`;
    const store = createChunkStore(createMilvusConnection({ MILVUS_ADDRESS, MILVUS_COLLECTION_PREFIX: other, MILVUS_TIMEOUT_MS: 10_000 }), other);
    await store.prepare('ragnative-test-64d', 32);
    await assert.rejects(setup({ MILVUS_COLLECTION_PREFIX: other }), (error: { code: number; stdout: string }) => error.code === 1 && /"code":"dimension_mismatch"/.test(error.stdout));
  });
});
