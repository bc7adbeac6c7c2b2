// Everything ragnative stores in Milvus goes through this store: chunk upserts
// keyed by deterministic ids, counts and deletes by document expressions,
// filtered ANN search over live rows, tombstones.
import { ConsistencyLevelEnum, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import type { MilvusConnection } from './milvus-client.ts';
import type { Passage } from '../events/data-schemas.ts';
import { collectionDimension, collectionName, ensureCollection, INDEX } from './collection.ts';
import type { SearchFilter } from '../events/data-schemas.ts';
import { allOf, filterExpression } from './filter-expression.ts';
import { ProblemError } from '../errors/problem-error.ts';
import { documentFilter, LIVE, TOMBSTONE_INDEX, TOMBSTONE_VERSION } from './document-filters.ts';
import { ensureSuccess, milvusCall } from './status.ts';

export interface ChunkRow {
  id: string;
  doc_id: string;
  doc_version: string;
  doc_seq: string;
  chunk_index: number;
  source: string;
  tenant: string;
  tags: string[];
  groups: string[];
  content_type: string;
  text: string;
  metadata: Record<string, unknown>;
  vector: number[];
}

export interface DocumentStatus {
  id: string;
  chunks: number;
  version: string;
  source: string;
  tenant: string;
  groups: string[];
  collection: string;
}

const STRONG = { consistency_level: ConsistencyLevelEnum.Strong };

/**
 * Deterministic chunk id: the same write (document version and ordering
 * sequence) and index always map to the same row, so redelivery is idempotent,
 * while two writes of the same content never share rows, so the older one can
 * never re-stamp or remove the newer one's.
 */
export function chunkId(docId: string, version: string, sequence: string, index: number): string {
  return `${docId}:${version}:${sequence}:${index}`;
}

export function createChunkStore(connect: MilvusConnection, prefix: string) {
  const ready = new Map<string, Promise<boolean>>();
  const call = <T>(operation: string, fn: (client: MilvusClient) => Promise<T>) => milvusCall(operation, async () => fn(await connect()));
  const collectionFor = (model: string) => collectionName(prefix, model);

  /**
   * Memoised per process once the collection is ready; a failure, or a collection
   * that does not exist yet, is not remembered, so the next call looks again.
   * Only writers create collections: a search must not fix a collection's dimension.
   */
  const ensure = (name: string, dim: number, create: boolean): Promise<boolean> => {
    const key = `${name}/${dim}/${create}`;
    let pending = ready.get(key);
    if (!pending) {
      pending = connect().then((client) => ensureCollection(client, name, dim, create));
      ready.set(key, pending);
      pending.then(
        (exists) => exists || ready.delete(key),
        () => ready.delete(key),
      );
    }
    return pending;
  };

  const count = async (collection: string, filter: string): Promise<number> => {
    const result = await call('query', (client) =>
      client.query({ collection_name: collection, filter, output_fields: ['count(*)'], ...STRONG }),
    );
    ensureSuccess(result.status, 'count');
    return Number(result.data[0]?.['count(*)'] ?? 0);
  };

  const deleteWhere = async (collection: string, filter: string): Promise<void> => {
    const result = await call('delete', (client) => client.delete({ collection_name: collection, filter }));
    ensureSuccess(result.status, 'delete');
  };

  const dimension = async (collection: string) => collectionDimension(await connect(), collection);

  return {
    collectionFor,
    count,
    deleteWhere,

    /** The model's collection, created and loaded if need be. */
    async prepare(model: string, dim: number): Promise<string> {
      const collection = collectionFor(model);
      await ensure(collection, dim, true);
      return collection;
    },

    async upsert(collection: string, rows: ChunkRow[]): Promise<void> {
      const result = await call('upsert', (client) => client.upsert({ collection_name: collection, data: rows as never[] }));
      ensureSuccess(result.status, 'upsert');
    },

    async search(model: string, vector: number[], topK: number, filter: SearchFilter, ef = INDEX.search_params.ef): Promise<Passage[]> {
      const collection = collectionFor(model);
      if (!(await ensure(collection, vector.length, false))) return []; // nothing indexed with this model yet
      const expression = allOf(LIVE, filterExpression(filter));
      const result = await call('search', (client) =>
        client.search({
          collection_name: collection,
          data: vector,
          limit: topK,
          filter: expression,
          output_fields: ['id', 'doc_id', 'source', 'chunk_index', 'text'],
          metric_type: INDEX.metric_type,
          params: { ef: Math.max(ef, topK) },
          ...STRONG,
        }),
      );
      ensureSuccess(result.status, 'search');
      return result.results.map((hit) => ({
        id: String(hit.id),
        docId: String(hit.doc_id),
        source: String(hit.source),
        chunkIndex: Number(hit.chunk_index),
        score: Number(hit.score),
        text: String(hit.text),
      }));
    },

    async describe(model: string, docId: string): Promise<DocumentStatus | undefined> {
      const collection = collectionFor(model);
      if ((await dimension(collection)) === undefined) return undefined;
      const filter = documentFilter.live(docId);
      const result = await call('query', (client) =>
        client.query({ collection_name: collection, filter, output_fields: ['doc_version', 'source', 'tenant', 'groups'], limit: 1, ...STRONG }),
      );
      ensureSuccess(result.status, 'query');
      const row = result.data[0];
      if (!row) return undefined;
      return {
        id: docId,
        chunks: await count(collection, filter),
        version: String(row.doc_version),
        source: String(row.source),
        tenant: String(row.tenant),
        groups: (row.groups as string[] | undefined) ?? [],
        collection,
      };
    },

    /** Indexed documents the access filter allows (one row each: their first chunk), in primary-key order. */
    async list(model: string, limit: number, offset: number, access: Pick<SearchFilter, 'tenant' | 'readerGroups'>): Promise<Omit<DocumentStatus, 'chunks' | 'collection' | 'groups'>[]> {
      const collection = collectionFor(model);
      if ((await dimension(collection)) === undefined) return [];
      const filter = allOf('chunk_index == 0', filterExpression(access));
      const result = await call('query', (client) =>
        client.query({ collection_name: collection, filter, output_fields: ['doc_id', 'doc_version', 'source', 'tenant'], limit, offset, ...STRONG }),
      );
      ensureSuccess(result.status, 'query');
      return result.data.map((row) => ({ id: String(row.doc_id), version: String(row.doc_version), source: String(row.source), tenant: String(row.tenant) }));
    },

    /**
     * Removes every chunk of a document written up to `sequence` and leaves a
     * tombstone at `sequence`; returns how many chunks there were.
     */
    async deleteDocument(model: string, docId: string, sequence: string): Promise<number> {
      const collection = collectionFor(model);
      const dim = await dimension(collection);
      if (dim === undefined) return 0;
      const live = await count(collection, documentFilter.live(docId));
      const tombstone: ChunkRow = {
        id: `${docId}:${TOMBSTONE_VERSION}`, // one per document: a later deletion replaces it
        doc_id: docId,
        doc_version: TOMBSTONE_VERSION,
        doc_seq: sequence,
        chunk_index: TOMBSTONE_INDEX,
        source: '',
        tenant: '',
        tags: [],
        groups: [],
        content_type: '',
        text: '',
        metadata: {},
        vector: Array.from({ length: dim }, (_, i) => (i === 0 ? 1 : 0)),
      };
      await deleteWhere(collection, `${documentFilter.notNewerThan(docId, sequence)} && ${LIVE}`);
      // A row written for a later change (content or a later deletion's tombstone)
      // already supersedes this deletion: keep the newer tombstone, if any.
      if ((await count(collection, documentFilter.newerThan(docId, sequence))) > 0) return live;
      const result = await call('upsert', (client) => client.upsert({ collection_name: collection, data: [tombstone] as never[] }));
      ensureSuccess(result.status, 'upsert');
      return live;
    },

    /**
     * Readiness: Milvus answers. (Not CheckHealth: after a restart it blocks for
     * tens of seconds on sessions of the previous run while reads already work.)
     */
    async ping(): Promise<void> {
      const { version } = await call('get_version', (client) => client.getVersion());
      if (!version) throw new ProblemError('milvus_unavailable', 'Milvus did not report its version');
    },
  };
}

export type ChunkStore = ReturnType<typeof createChunkStore>;
