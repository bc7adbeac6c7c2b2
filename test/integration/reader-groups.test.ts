// Who may read a row is decided alike in collections with the `restricted` flag
// (new ones, filtered as fast as the tenant) and in collections created before
// it (filtered by the groups array): open rows for everyone in the tenant,
// restricted rows only for members of one of their groups. Through the store,
// on the real Milvus the tests run against.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConsistencyLevelEnum, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { collectionName, collectionSchema } from '../../shared/milvus/collection.ts';
import { createMilvusConnection } from '../../shared/milvus/milvus-client.ts';
import { createChunkStore, type ChunkRow } from '../../shared/milvus/chunk-store.ts';
import { serverFeatures } from '../../shared/milvus/server-features.ts';
import { MILVUS_ADDRESS } from '../support/test-stack.ts';

const DIM = 8;
const MODEL = 'reader-groups-model';
const prefix = `test_groups_${process.pid}`;
const client = new MilvusClient({ address: MILVUS_ADDRESS, telemetry: { enabled: false }, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
const store = createChunkStore(createMilvusConnection({ MILVUS_ADDRESS, MILVUS_COLLECTION_PREFIX: prefix, MILVUS_TIMEOUT_MS: 10_000 }), prefix);
const collection = collectionName(prefix, MODEL);

function row(doc: string, groups: string[]): ChunkRow {
  return {
    id: `t:${doc}:0`, doc_id: doc, doc_version: 'v1', doc_seq: '00000000000000000001', chunk_index: 0, source: `${doc}.md`, tenant: 't',
    tags: [], groups, content_type: 'text/plain', page: 0, section: '', sheet: '', text: `the text of ${doc}`, metadata: {},
    vector: Array.from({ length: DIM }, (_, i) => (i === 0 ? 1 : 0.1)),
  };
}
const ROWS = [row('open', []), row('hr-only', ['hr']), row('hr-or-legal', ['legal', 'hr']), row('legal-only', ['legal'])];

/** The documents each reader finds, by search and by listing, in the collection as it is now. */
async function visibility() {
  const readers = { nobody: [], hr: ['hr'], legal: ['legal'], both: ['hr', 'legal'], other: ['finance'] };
  const seen: Record<string, { searched: string[]; listed: string[] }> = {};
  for (const [reader, readerGroups] of Object.entries(readers)) {
    const filter = { tenant: 't', readerGroups };
    const { passages } = await store.search(MODEL, { vector: ROWS[0]!.vector, question: 'text', topK: 10, filter, mode: 'dense' }, { fusion: { method: 'rrf', k: 60 }, candidates: 10 });
    const listed = await store.list(MODEL, 10, 0, filter);
    seen[reader] = { searched: passages.map((p) => p.docId).sort(), listed: listed.map((d) => d.id).sort() };
  }
  return seen;
}

const EXPECTED = {
  nobody: ['open'],
  hr: ['hr-only', 'hr-or-legal', 'open'],
  legal: ['hr-or-legal', 'legal-only', 'open'],
  both: ['hr-only', 'hr-or-legal', 'legal-only', 'open'],
  other: ['open'],
};
const expected = Object.fromEntries(Object.entries(EXPECTED).map(([reader, docs]) => [reader, { searched: docs, listed: docs }]));

before(() => client.connectPromise);
after(async () => {
  await client.dropCollection({ collection_name: collection });
  await client.closeConnection();
});

describe('reader groups', () => {
  it('hide restricted rows from non-members in a collection with the restricted flag, which the store fills in', async () => {
    await store.prepare(MODEL, DIM);
    await store.upsert(collection, ROWS);
    assert.deepEqual(await visibility(), expected);
    const stored = await client.query({ collection_name: collection, filter: 'chunk_index >= 0', output_fields: ['doc_id', 'restricted'], consistency_level: ConsistencyLevelEnum.Strong });
    assert.deepEqual(Object.fromEntries(stored.data.map((r) => [r.doc_id, r.restricted])), { open: false, 'hr-only': true, 'hr-or-legal': true, 'legal-only': true });
  });

  it('hide them alike in a collection created before the flag, which is written and searched without it', async () => {
    await client.dropCollection({ collection_name: collection });
    const { keywordSearch } = await serverFeatures(client);
    const schema = collectionSchema(collection, DIM, keywordSearch);
    const legacy = { ...schema, fields: schema.fields.filter((field) => field.name !== 'restricted') };
    assert.equal(legacy.fields.length, schema.fields.length - 1);
    await client.createCollection(legacy as Parameters<MilvusClient['createCollection']>[0]);
    await store.prepare(MODEL, DIM);
    await store.upsert(collection, ROWS);
    assert.deepEqual(await visibility(), expected);
  });
});
