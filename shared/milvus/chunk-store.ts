// Everything ragnative stores in Milvus goes through this store: chunk upserts
// keyed by deterministic ids, counts and deletes by document expressions,
// filtered search over live rows (chunk-search.ts), tombstones.
import { ConsistencyLevelEnum } from '@zilliz/milvus2-sdk-node';
import type { MilvusConnection } from './milvus-client.ts';
import type { SearchFilter } from '../events/data-schemas.ts';
import { tombstoneId, type DocumentRef } from '../identity/document-id.ts';
import { collectionName, describeCollection, ensureCollection, type CollectionInfo } from './collection.ts';
import { searchChunks, type MilvusCall, type SearchRequest, type SearchSettings } from './chunk-search.ts';
import { allOf, filterExpression } from './filter-expression.ts';
import { documentFilter, LIVE, TOMBSTONE_INDEX, TOMBSTONE_VERSION, type RowPlace } from './document-filters.ts';
import { serverFeatures } from './server-features.ts';
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
  /** 1-based page or slide; 0 where the format has none. */
  page: number;
  section: string;
  sheet: string;
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
/** The waits before each further attempt of a Milvus call that failed (two more attempts in 0.5 s). */
const RETRY_WAITS_MS = [100, 400];
/** The most rows one query returns (Milvus' default query result window). */
const QUERY_WINDOW = 16_384;

export function createChunkStore(connect: MilvusConnection, prefix: string) {
  const ready = new Map<string, Promise<CollectionInfo | undefined>>();
  /** The shapes of collections written to, remembered until a call fails. */
  const shapes = new Map<string, CollectionInfo>();
  /**
   * One Milvus call, its status checked. Any failure forgets which collections
   * are ready: a restarted server may have released them (Milvus Lite does),
   * and the next call loads them again. A call that reached Milvus and failed is
   * tried again after short waits (RETRY_WAITS_MS): under a burst of writes
   * Milvus answers some calls with errors that pass within a moment. One that
   * could not connect fails at once, and the caller answers 503.
   */
  const call: MilvusCall = async (operation, fn) => {
    for (let attempt = 0; ; attempt++) {
      let connected = false;
      try {
        const result = await milvusCall(operation, async () => {
          const client = await connect();
          connected = true;
          return fn(client);
        });
        ensureSuccess((result as { status?: Parameters<typeof ensureSuccess>[0] }).status, operation);
        return result;
      } catch (error) {
        ready.clear();
        shapes.clear();
        const wait = RETRY_WAITS_MS[attempt];
        if (!connected || wait === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };
  const collectionFor = (model: string) => collectionName(prefix, model);

  /**
   * Memoised per process once the collection is ready; a failure, or a collection
   * that does not exist yet, is not remembered, so the next call looks again.
   * Only writers create collections: a search must not fix a collection's dimension.
   */
  const ensure = (name: string, dim: number, create: boolean): Promise<CollectionInfo | undefined> => {
    const key = `${name}/${dim}/${create}`;
    let pending = ready.get(key);
    if (!pending) {
      pending = connect().then((client) => ensureCollection(client, name, dim, create));
      ready.set(key, pending);
      pending.then(
        (info) => info || ready.delete(key),
        () => ready.delete(key),
      );
    }
    return pending;
  };

  const count = async (collection: string, filter: string): Promise<number> => {
    const result = await call('count', (client) =>
      client.query({ collection_name: collection, filter, output_fields: ['count(*)'], ...STRONG }),
    );
    return Number(result.data[0]?.['count(*)'] ?? 0);
  };

  /** Where the rows matching the filter were written; `truncated` when more matched than one query returns. */
  const placesOf = async (collection: string, filter: string): Promise<{ rows: RowPlace[]; truncated: boolean }> => {
    const result = await call('query', (client) =>
      client.query({ collection_name: collection, filter, output_fields: ['doc_id', 'tenant', 'doc_seq'], limit: QUERY_WINDOW, ...STRONG }),
    );
    const rows = result.data.map((row) => ({ doc_id: String(row.doc_id), tenant: String(row.tenant), doc_seq: String(row.doc_seq) }));
    return { rows, truncated: rows.length >= QUERY_WINDOW };
  };

  const deleteWhere = async (collection: string, filter: string): Promise<void> => {
    await call('delete', (client) => client.delete({ collection_name: collection, filter }));
  };

  const shape = async (collection: string) => describeCollection(await connect(), collection);

  /** Rows as the collection stores them: `restricted` where it has that field. */
  const stored = async (collection: string, rows: ChunkRow[]) => {
    let info = shapes.get(collection);
    if (!info) {
      info = await shape(collection);
      if (info) shapes.set(collection, info);
    }
    return info?.restricted ? rows.map((row) => ({ ...row, restricted: row.groups.length > 0 })) : rows;
  };

  const upsert = async (collection: string, rows: ChunkRow[]): Promise<void> => {
    await call('upsert', async (client) => client.upsert({ collection_name: collection, data: (await stored(collection, rows)) as never[] }));
  };

  return {
    collectionFor,
    count,
    placesOf,
    deleteWhere,
    upsert,

    /** The model's collection, created and loaded if need be. */
    async prepare(model: string, dim: number): Promise<string> {
      const collection = collectionFor(model);
      await ensure(collection, dim, true);
      return collection;
    },

    async search(model: string, request: SearchRequest, settings: SearchSettings) {
      const collection = collectionFor(model);
      const info = await ensure(collection, request.vector.length, false);
      if (!info) return { passages: [], retrieval: { mode: request.mode ?? 'dense', notice: 'nothing is indexed with this model yet' } }; // nothing indexed with this model yet
      return searchChunks(call, collection, info, request, settings);
    },

    async describe(model: string, ref: DocumentRef): Promise<DocumentStatus | undefined> {
      const collection = collectionFor(model);
      if ((await shape(collection)) === undefined) return undefined;
      const filter = documentFilter.live(ref);
      const result = await call('query', (client) =>
        client.query({ collection_name: collection, filter, output_fields: ['doc_version', 'source', 'tenant', 'groups'], limit: 1, ...STRONG }),
      );
      const row = result.data[0];
      if (!row) return undefined;
      return {
        id: ref.id,
        chunks: await count(collection, filter),
        version: String(row.doc_version),
        source: String(row.source),
        tenant: String(row.tenant),
        groups: (row.groups as string[] | undefined) ?? [],
        collection,
      };
    },

    /**
     * Whether the document is completely indexed from the write at `sequence`:
     * every live row was written at that sequence, and there are as many as the
     * write had chunks (each row's metadata records its document's chunk count).
     * A partial write, an older or a newer one, or rows stored before chunk counts
     * were recorded all answer false, and the caller ingests again.
     */
    async isIndexedAt(model: string, ref: DocumentRef, sequence: string): Promise<boolean> {
      const collection = collectionFor(model);
      if ((await shape(collection)) === undefined) return false;
      const result = await call('query', (client) =>
        client.query({ collection_name: collection, filter: documentFilter.live(ref), output_fields: ['doc_seq', 'metadata'], limit: QUERY_WINDOW, ...STRONG }),
      );
      const rows = result.data;
      const chunks = (rows[0]?.metadata as { chunks?: unknown } | undefined)?.chunks;
      return rows.length > 0 && rows.length < QUERY_WINDOW && rows.length === chunks && rows.every((row) => String(row.doc_seq) === sequence);
    },

    /** Indexed documents the access filter allows (one row each: their first chunk), in primary-key order. */
    async list(model: string, limit: number, offset: number, access: Pick<SearchFilter, 'tenant' | 'readerGroups'>): Promise<Omit<DocumentStatus, 'chunks' | 'collection' | 'groups'>[]> {
      const collection = collectionFor(model);
      const info = await shape(collection);
      if (info === undefined) return [];
      const filter = allOf('chunk_index == 0', filterExpression(access, info));
      const result = await call('query', (client) =>
        client.query({ collection_name: collection, filter, output_fields: ['doc_id', 'doc_version', 'source', 'tenant'], limit, offset, ...STRONG }),
      );
      return result.data.map((row) => ({ id: String(row.doc_id), version: String(row.doc_version), source: String(row.source), tenant: String(row.tenant) }));
    },

    /**
     * Removes every chunk of a document written up to `sequence` and leaves a
     * tombstone at `sequence`; returns how many chunks there were.
     */
    async deleteDocument(model: string, ref: DocumentRef, sequence: string): Promise<number> {
      const collection = collectionFor(model);
      const info = await shape(collection);
      if (info === undefined) return 0;
      const live = await count(collection, documentFilter.live(ref));
      await deleteWhere(collection, `${documentFilter.notNewerThan(ref, sequence)} && ${LIVE}`);
      // A row written for a later change (content or a later deletion's tombstone)
      // already supersedes this deletion: keep the newer tombstone, if any.
      if ((await count(collection, documentFilter.newerThan(ref, sequence))) > 0) return live;
      await upsert(collection, [tombstone(ref, sequence, info.dim)]);
      return live;
    },

    /**
     * Readiness: Milvus answers and, where the model's collection exists, it is
     * loaded and answers a query, so the first question or upload after a start
     * (ours or Milvus') does not wait on loading. A collection that does not
     * exist yet is no obstacle: a search answers that nothing is indexed, and the
     * first write creates it. (Not CheckHealth: after a restart Milvus 2.3 blocks
     * it for tens of seconds on sessions of the previous run while reads already
     * work.)
     */
    async ready(model: string): Promise<void> {
      await serverFeatures(await connect());
      const collection = collectionFor(model);
      const info = await shape(collection);
      if (info === undefined) return;
      await ensure(collection, info.dim, false);
      await call('query', (client) => client.query({ collection_name: collection, filter: LIVE, output_fields: ['doc_id'], limit: 1, ...STRONG }));
    },
  };
}

function tombstone(ref: DocumentRef, sequence: string, dim: number): ChunkRow {
  return {
    id: tombstoneId(ref),
    doc_id: ref.id,
    doc_version: TOMBSTONE_VERSION,
    doc_seq: sequence,
    chunk_index: TOMBSTONE_INDEX,
    source: '',
    tenant: ref.tenant,
    tags: [],
    groups: [],
    content_type: '',
    page: 0,
    section: '',
    sheet: '',
    text: '',
    metadata: {},
    vector: Array.from({ length: dim }, (_, i) => (i === 0 ? 1 : 0)),
  };
}

export type ChunkStore = ReturnType<typeof createChunkStore>;
