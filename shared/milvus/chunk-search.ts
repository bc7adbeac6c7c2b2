// Retrieval over one collection: dense (HNSW over the vector), keyword (BM25
// over the analysed text) or hybrid (both, fused in rank-fusion.ts). A
// collection without the BM25 field (a server older than Milvus 2.5) serves
// every mode densely and says so; it never fails for it.
import { ConsistencyLevelEnum, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import type { Passage, Retrieval, RetrievalMode, SearchFilter } from '../events/data-schemas.ts';
import { INDEX, type CollectionInfo } from './collection.ts';
import { allOf, filterExpression } from './filter-expression.ts';
import { LIVE } from './document-filters.ts';
import { keywordQuery } from './keyword-query.ts';
import { fuse, type Fusion } from './rank-fusion.ts';

export interface SearchRequest {
  vector: number[];
  question: string;
  topK: number;
  filter: SearchFilter;
  /** Absent: hybrid where the collection can, else dense. */
  mode?: RetrievalMode | undefined;
  ef?: number;
}

export interface SearchSettings {
  fusion: Fusion;
  /** Candidates each route contributes to a fusion (at least topK). */
  candidates: number;
}

const OUTPUT = ['id', 'doc_id', 'source', 'chunk_index', 'page', 'section', 'sheet', 'text'];
const STRONG = { consistency_level: ConsistencyLevelEnum.Strong };
export const NO_KEYWORD_FIELD = 'keyword search needs Milvus 2.5+ or Milvus Lite 3 (a BM25 field): served by dense search';

function toPassage(hit: Record<string, unknown>, route: 'dense' | 'keyword'): Passage {
  // BM25 scores are reported positive whatever the server's sign (Milvus Lite negates them).
  const score = route === 'keyword' ? Math.abs(Number(hit.score)) : Number(hit.score);
  const page = Number(hit.page ?? 0);
  return {
    id: String(hit.id),
    docId: String(hit.doc_id),
    source: String(hit.source),
    chunkIndex: Number(hit.chunk_index),
    ...(page > 0 ? { page } : {}),
    ...(hit.section ? { section: String(hit.section) } : {}),
    ...(hit.sheet ? { sheet: String(hit.sheet) } : {}),
    score,
    scores: { [route]: score },
    text: String(hit.text),
  };
}

/** Runs one Milvus call and checks the status it reports. */
export type MilvusCall = <T>(operation: string, fn: (client: MilvusClient) => Promise<T>) => Promise<T>;

async function route(call: MilvusCall, collection: string, kind: 'dense' | 'keyword', data: number[] | string, limit: number, filter: string, ef: number): Promise<Passage[]> {
  const params = kind === 'dense' ? { anns_field: 'vector', metric_type: INDEX.metric_type, params: { ef: Math.max(ef, limit) } } : { anns_field: 'sparse', metric_type: INDEX.keyword.metric_type };
  const result = await call('search', (client) => client.search({ collection_name: collection, data, limit, filter, output_fields: OUTPUT, ...params, ...STRONG } as Parameters<MilvusClient['search']>[0]));
  return result.results.map((hit) => toPassage(hit as Record<string, unknown>, kind));
}

function servedMode(requested: RetrievalMode | undefined, info: CollectionInfo): { mode: RetrievalMode; notice?: string } {
  if (info.keyword) return { mode: requested ?? 'hybrid' };
  return requested === undefined || requested === 'dense' ? { mode: 'dense' } : { mode: 'dense', notice: NO_KEYWORD_FIELD };
}

export async function searchChunks(call: MilvusCall, collection: string, info: CollectionInfo, request: SearchRequest, settings: SearchSettings): Promise<{ passages: Passage[]; retrieval: Retrieval }> {
  const filter = allOf(LIVE, filterExpression(request.filter, info));
  const { mode, notice } = servedMode(request.mode, info);
  const requested = request.mode ? { requested: request.mode } : {};
  const ef = request.ef ?? INDEX.search_params.ef;
  const text = mode === 'dense' ? undefined : keywordQuery(request.question);
  const noWords = 'the question has no content word for keyword search';
  if (mode === 'dense' || (mode === 'hybrid' && text === undefined)) {
    const passages = await route(call, collection, 'dense', request.vector, request.topK, filter, ef);
    const why = notice ?? (mode === 'hybrid' ? `${noWords}: served by dense search` : undefined);
    return { passages, retrieval: { mode: 'dense', ...requested, ...(why ? { notice: why } : {}) } };
  }
  if (mode === 'keyword') {
    const passages = text === undefined ? [] : await route(call, collection, 'keyword', text, request.topK, filter, ef);
    return { passages, retrieval: { mode, ...requested, ...(text === undefined ? { notice: noWords } : {}) } };
  }
  const limit = Math.max(request.topK, settings.candidates);
  const [dense, keyword] = await Promise.all([
    route(call, collection, 'dense', request.vector, limit, filter, ef),
    route(call, collection, 'keyword', text!, limit, filter, ef),
  ]);
  return { passages: fuse(dense, keyword, settings.fusion, request.topK), retrieval: { mode, ...requested, fusion: settings.fusion.method } };
}
