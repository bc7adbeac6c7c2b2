// One collection per embedding model, so dimensions never clash. Created from
// milvus/index.json (the single definition of index types, metrics and params).
// Where the server has BM25 functions, the chunk text is also analysed into a
// sparse field for keyword search, and the tenant is the partition key.
import { DataType, FunctionType, LoadState, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import indexDefinition from '../../milvus/index.json' with { type: 'json' };
import { ProblemError } from '../errors/problem-error.ts';
import { serverFeatures } from './server-features.ts';
import { ensureSuccess, isSuccess, milvusCall } from './status.ts';

export const INDEX = indexDefinition;
export const TEXT_MAX_BYTES = 65_535;
export const SECTION_MAX_BYTES = 1024;

/**
 * Bumped whenever fields() changes in a way readers cannot detect. Milvus cannot
 * add a field to a collection, so a new schema gets a new collection (re-ingest
 * to fill it; the old one can be dropped). 2: document ACL groups. 3:
 * tenant-scoped row ids, page, section and sheet, BM25 keyword search. Fields
 * detected from the collection's schema (`sparse`, `restricted`: see
 * CollectionInfo) need no bump: collections without them keep working.
 */
export const SCHEMA_VERSION = 3;

export interface CollectionInfo {
  dim: number;
  /** Whether the collection has the BM25 sparse field (keyword and hybrid search). */
  keyword: boolean;
  /**
   * Whether rows carry `restricted` (groups is not empty): a scalar that every
   * server filters as fast as the tenant, where `array_length(groups) == 0` is
   * evaluated row by row on Milvus Lite (about 30 µs a row: 0.5 s per search over
   * 16,000 chunks). Collections created before it answer false and filter the array.
   */
  restricted: boolean;
}

export function collectionName(prefix: string, model: string): string {
  const slug = model.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return `${prefix}_${slug}_s${SCHEMA_VERSION}`.slice(0, 255);
}

// On Milvus 2.3, `upsert` routes partition-key rows to a partition that
// `tenant == "x"` filters then miss (reproduced against 2.3.5): there the tenant
// stays a plain filtered field. Filters are exact either way.
function fields(dim: number, keyword: boolean) {
  const varchar = (name: string, max: number) => ({ name, data_type: DataType.VarChar, max_length: max });
  const labels = (name: string) => ({ name, data_type: DataType.Array, element_type: DataType.VarChar, max_capacity: 32, max_length: 256 });
  const analysed = keyword ? { enable_analyzer: true, analyzer_params: INDEX.keyword.analyzer_params } : {};
  return [
    { ...varchar('id', 512), is_primary_key: true, autoID: false },
    varchar('doc_id', 256),
    varchar('doc_version', 128),
    varchar('doc_seq', 32),
    { name: 'chunk_index', data_type: DataType.Int64 },
    varchar('source', 1024),
    { ...varchar('tenant', 256), ...(keyword ? { is_partition_key: true } : {}) },
    labels('tags'),
    labels('groups'),
    { name: 'restricted', data_type: DataType.Bool },
    varchar('content_type', 128),
    { name: 'page', data_type: DataType.Int64 },
    varchar('section', SECTION_MAX_BYTES),
    varchar('sheet', 256),
    { ...varchar('text', TEXT_MAX_BYTES), ...analysed },
    { name: 'metadata', data_type: DataType.JSON },
    { name: 'vector', data_type: DataType.FloatVector, dim },
    ...(keyword ? [{ name: 'sparse', data_type: DataType.SparseFloatVector }] : []),
  ];
}

const bm25 = { name: 'text_bm25', type: FunctionType.BM25, input_field_names: ['text'], output_field_names: ['sparse'], params: {} };

/** The shape of an existing collection, or undefined when it does not exist. */
export async function describeCollection(client: MilvusClient, name: string): Promise<CollectionInfo | undefined> {
  const described = await milvusCall('describe_collection', () => client.describeCollection({ collection_name: name }));
  if (!isSuccess(described.status)) return undefined;
  const vector = described.schema.fields.find((field) => field.name === 'vector');
  const dim = vector?.type_params?.find((param) => param.key === 'dim')?.value;
  if (dim === undefined) return undefined;
  const has = (name: string) => described.schema.fields.some((field) => field.name === name);
  return { dim: Number(dim), keyword: has('sparse'), restricted: has('restricted') };
}

/** The createCollection request for a new collection (keyword: whether the server has BM25 functions). */
export function collectionSchema(name: string, dim: number, keyword: boolean) {
  return { collection_name: name, fields: fields(dim, keyword), ...(keyword ? { functions: [bm25] } : {}) };
}

async function createCollection(client: MilvusClient, name: string, dim: number): Promise<void> {
  const { keywordSearch } = await serverFeatures(client);
  const schema = collectionSchema(name, dim, keywordSearch);
  const status = await milvusCall('create_collection', () => client.createCollection(schema as Parameters<MilvusClient['createCollection']>[0]));
  // Another process may have created it in the meantime: that is success too.
  if (!isSuccess(status) && (await describeCollection(client, name)) === undefined) ensureSuccess(status, 'create_collection');
}

async function ensureIndex(client: MilvusClient, name: string, field: string, index: { index_type: string; metric_type: string; params: object }): Promise<void> {
  const described = await milvusCall('describe_index', () => client.describeIndex({ collection_name: name, field_name: field }));
  if (isSuccess(described.status) && described.index_descriptions.length > 0) return;
  const status = await milvusCall('create_index', () => client.createIndex({ collection_name: name, field_name: field, ...index, params: index.params as Record<string, number> }));
  ensureSuccess(status, 'create_index');
}

/**
 * Creates (if absent and `create`), checks the dimension of, indexes (if
 * unindexed) and loads a collection; undefined when it does not exist and was
 * not to be created. Every step is idempotent, so a setup interrupted half-way
 * (a timeout between create and index, say) is completed by the next call.
 */
export async function ensureCollection(client: MilvusClient, name: string, dim: number, create: boolean): Promise<CollectionInfo | undefined> {
  let info = await describeCollection(client, name);
  if (info === undefined) {
    if (!create) return undefined;
    await createCollection(client, name, dim);
    info = await describeCollection(client, name);
    if (info === undefined) throw new ProblemError('milvus_unavailable', `Collection ${name} was created but cannot be described`);
  }
  if (info.dim !== dim) {
    throw new ProblemError('dimension_mismatch', `Collection ${name} holds ${info.dim}-d vectors, got ${dim}-d`);
  }
  await ensureIndex(client, name, 'vector', INDEX);
  if (info.keyword) await ensureIndex(client, name, 'sparse', INDEX.keyword);
  await ensureLoaded(client, name);
  return info;
}

/**
 * Loads the collection unless it is loaded. The SDK's loadCollectionSync waits
 * 400 ms before its first progress check even for a loaded collection, which
 * would cost every function's first request (and its readiness) that much.
 */
async function ensureLoaded(client: MilvusClient, name: string): Promise<void> {
  const state = await milvusCall('get_load_state', () => client.getLoadState({ collection_name: name }));
  ensureSuccess(state.status, 'get_load_state');
  if (state.state === LoadState.LoadStateLoaded) return;
  const loaded = await milvusCall('load_collection', () => client.loadCollectionSync({ collection_name: name }));
  ensureSuccess(loaded, 'load_collection');
}
