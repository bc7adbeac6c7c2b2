// One collection per embedding model, so dimensions never clash. Created from
// milvus/index.json (the single definition of index type, metric and params).
import { DataType, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import indexDefinition from '../../milvus/index.json' with { type: 'json' };
import { ProblemError } from '../errors/problem-error.ts';
import { ensureSuccess, isSuccess, milvusCall } from './status.ts';

export const INDEX = indexDefinition;
export const TEXT_MAX_BYTES = 65_535;

/**
 * Bumped whenever fields() changes. Milvus cannot add a field to a collection,
 * so a new schema gets a new collection (re-ingest to fill it; the old one can
 * be dropped). 2: document ACL groups.
 */
export const SCHEMA_VERSION = 2;

export function collectionName(prefix: string, model: string): string {
  const slug = model.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return `${prefix}_${slug}_s${SCHEMA_VERSION}`.slice(0, 255);
}

// Tenant is a plain indexed scalar, not a partition key: on Milvus 2.3 `upsert`
// routes partition-key rows to a partition that `tenant == "x"` filters then miss
// (reproduced against 2.3.5). Filters stay exact either way.
function fields(dim: number) {
  const varchar = (name: string, max: number) => ({ name, data_type: DataType.VarChar, max_length: max });
  return [
    { ...varchar('id', 512), is_primary_key: true, autoID: false },
    varchar('doc_id', 256),
    varchar('doc_version', 128),
    varchar('doc_seq', 32),
    { name: 'chunk_index', data_type: DataType.Int64 },
    varchar('source', 1024),
    varchar('tenant', 256),
    { name: 'tags', data_type: DataType.Array, element_type: DataType.VarChar, max_capacity: 32, max_length: 256 },
    { name: 'groups', data_type: DataType.Array, element_type: DataType.VarChar, max_capacity: 32, max_length: 256 },
    varchar('content_type', 128),
    varchar('text', TEXT_MAX_BYTES),
    { name: 'metadata', data_type: DataType.JSON },
    { name: 'vector', data_type: DataType.FloatVector, dim },
  ];
}

/** The dimension of an existing collection, or undefined when it does not exist. */
export async function collectionDimension(client: MilvusClient, name: string): Promise<number | undefined> {
  const described = await milvusCall('describe_collection', () => client.describeCollection({ collection_name: name }));
  if (!isSuccess(described.status)) return undefined;
  const vector = described.schema.fields.find((field) => field.name === 'vector');
  const dim = vector?.type_params?.find((param) => param.key === 'dim')?.value;
  return dim === undefined ? undefined : Number(dim);
}

async function createCollection(client: MilvusClient, name: string, dim: number): Promise<void> {
  const status = await milvusCall('create_collection', () => client.createCollection({ collection_name: name, fields: fields(dim) }));
  // Another process may have created it in the meantime: that is success too.
  if (!isSuccess(status) && (await collectionDimension(client, name)) === undefined) ensureSuccess(status, 'create_collection');
}

async function ensureIndex(client: MilvusClient, name: string): Promise<void> {
  const described = await milvusCall('describe_index', () => client.describeIndex({ collection_name: name, field_name: 'vector' }));
  if (isSuccess(described.status) && described.index_descriptions.length > 0) return;
  const status = await milvusCall('create_index', () =>
    client.createIndex({ collection_name: name, field_name: 'vector', index_type: INDEX.index_type, metric_type: INDEX.metric_type, params: INDEX.params }),
  );
  ensureSuccess(status, 'create_index');
}

/**
 * Creates (if absent and `create`), checks the dimension of, indexes (if
 * unindexed) and loads a collection; false when it does not exist and was not
 * to be created. Every step is idempotent, so a setup interrupted half-way (a
 * timeout between create and index, say) is completed by the next call.
 */
export async function ensureCollection(client: MilvusClient, name: string, dim: number, create: boolean): Promise<boolean> {
  let existing = await collectionDimension(client, name);
  if (existing === undefined) {
    if (!create) return false;
    await createCollection(client, name, dim);
    existing = await collectionDimension(client, name);
  }
  if (existing !== dim) {
    throw new ProblemError('dimension_mismatch', `Collection ${name} holds ${existing}-d vectors, got ${dim}-d`);
  }
  await ensureIndex(client, name);
  const loaded = await milvusCall('load_collection', () => client.loadCollectionSync({ collection_name: name }));
  ensureSuccess(loaded, 'load_collection');
  return true;
}
