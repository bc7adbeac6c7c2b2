// The data carried by each event type. Public HTTP bodies reuse these pieces so
// that the OpenAPI document and the event JSON Schemas come from one source.
import { z } from 'zod';
import { PII_KINDS } from '../text/redact-pii.ts';

const id = z.string().min(1).max(256).regex(/^[\w.:@/-]+$/, 'letters, digits and _ . : @ / - only');
const label = z.string().min(1).max(256).regex(/^[^\u0000-\u001f]+$/, 'no control characters');

export const searchFilter = z
  .strictObject({
    source: z.union([label, z.array(label).min(1).max(32)]).optional(),
    tags: z.array(label).min(1).max(32).optional().describe('matches chunks carrying any of these tags'),
    tenant: label.optional(),
    docId: z.array(id).min(1).max(100).optional(),
  })
  .describe('typed filters; every value is escaped server-side, never spliced as an expression');

/**
 * The filter inside the query events: the caller's, plus what its identity
 * allows, which the query function sets and no request can (the public schema
 * above is strict). readerGroups: documents restricted to groups are found only
 * by members of one of them; absent for operators, who see every document.
 */
export const accessFilter = searchFilter.extend({
  readerGroups: z.array(label).max(64).optional(),
});

export const RETRIEVAL_MODES = ['hybrid', 'dense', 'keyword'] as const;
export const retrievalMode = z.enum(RETRIEVAL_MODES);

/** Where a chunk came from in its document: page (PDF page or slide), heading path, sheet. */
const chunkOrigin = {
  page: z.number().int().min(1).optional().describe('1-based PDF page or slide number'),
  section: z.string().max(1024).optional().describe('the heading path, e.g. "Refunds › Exceptions"'),
  sheet: z.string().max(256).optional().describe('the spreadsheet sheet'),
};

export const passage = z.object({
  id: z.string(),
  docId: z.string(),
  source: z.string(),
  chunkIndex: z.number().int().min(0),
  ...chunkOrigin,
  score: z.number().describe('cosine similarity (dense), BM25 (keyword), or the fused score (hybrid)'),
  scores: z
    .object({ dense: z.number().optional(), keyword: z.number().optional(), rerank: z.number().optional() })
    .optional()
    .describe('each route\'s own score, where it found the passage, and the reranker\'s'),
  text: z.string(),
});

/** Which retrieval served a question: the mode used, the one asked for, how lists were fused, and why they differ. */
export const retrieval = z.object({
  mode: retrievalMode,
  requested: retrievalMode.optional(),
  fusion: z.enum(['rrf', 'weighted']).optional(),
  notice: z.string().max(300).optional(),
  /** Where a reranker reordered the passages: its model, or why the fused order was kept. */
  rerank: z.object({ model: z.string().max(256), fallback: z.enum(['rerank_unavailable', 'rerank_timeout']).optional() }).optional(),
});

export const citation = passage.omit({ id: true }).extend({ n: z.number().int().min(1) });

export const chatMessage = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});

export const documentRef = z.object({
  id,
  version: z.string().min(1).max(128),
  /** Orders versions of one document (see shared/milvus/document-filters.ts): later wins. */
  sequence: z.string().regex(/^[0-9a-f]{32}$/, '32 lowercase hex digits'),
  source: label,
  tenant: label.default('default'),
  tags: z.array(label).max(32).default([]),
  /** Who may read it: members of any of these groups; empty, everyone in its tenant. */
  groups: z.array(label).max(32).default([]),
  contentType: z.string().max(128).default('text/plain'),
  metadata: z.record(z.string(), z.json()).default({}),
  /** When the object landed in storage, for upload-to-searchable latency. */
  uploadedAt: z.iso.datetime().optional(),
});

export const chunk = z.object({
  index: z.number().int().min(0),
  // 16,000 characters are at most 64,000 bytes of UTF-8: under Milvus' VARCHAR limit.
  text: z.string().min(1).max(16_000),
  ...chunkOrigin,
});

const batch = z.object({
  index: z.number().int().min(0),
  count: z.number().int().min(1),
  totalChunks: z.number().int().min(1),
});

const embeddingModel = z.object({ model: z.string().min(1), dim: z.number().int().min(1).max(32_768) });
const vector = z.array(z.number().finite()).min(1).max(32_768);
const usage = z.object({ promptTokens: z.number().int(), completionTokens: z.number().int() });
const piiCounts = z.partialRecord(z.enum(PII_KINDS), z.number().int().min(1));

/**
 * Where an asynchronous question's answer goes and who asked, signed by the
 * query function (HMAC-SHA256) so that no one else can make it deliver.
 */
export const reply = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2048),
  principal: z.string().min(1).max(256),
  tenant: z.string().min(1).max(256).nullable(),
  /** After this the reply is refused: a captured event cannot be replayed later. */
  expiresAt: z.iso.datetime(),
  signature: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * Who asked, as the query function established it. `operator`: a principal bound
 * to no tenant (an all-tenants key, or authentication disabled); only such a
 * question may search without a tenant.
 */
export const principal = z.object({ id: z.string().min(1).max(256), operator: z.boolean() });

export const queryReceived = z.object({
  queryId: z.string().min(1).max(128),
  query: z.string().min(1).max(100_000),
  topK: z.number().int().min(1).max(16_384),
  /** Where a rerank step follows search: how many passages search finds for it to choose topK from. */
  candidates: z.number().int().min(1).max(16_384).optional(),
  filter: accessFilter.default({}),
  retrieval: z.object({ mode: retrievalMode.optional() }).default({}),
  principal: principal.optional(),
  reply: reply.optional(),
});

export const queryEmbedded = queryReceived.extend({ ...embeddingModel.shape, vector });

export const queryRetrieved = queryReceived.omit({ retrieval: true }).extend({ model: z.string(), passages: z.array(passage), retrieval });

export const promptBuilt = z.object({
  queryId: z.string().min(1),
  messages: z.array(chatMessage).min(1),
  citations: z.array(citation),
  /** False when no passage cleared the relevance bar: generate must not guess. */
  grounded: z.boolean(),
  reply: reply.optional(),
});

export const answerGenerated = z.object({
  queryId: z.string().min(1),
  answer: z.string(),
  citations: z.array(citation),
  model: z.string(),
  /** Set when the answer was not written by an LLM, and why. */
  fallback: z.enum(['no_llm_configured', 'llm_timeout', 'llm_unavailable', 'nothing_relevant']).optional(),
  usage: usage.optional(),
  /** Personal data redacted from the LLM's text, counted by kind (never the values). */
  pii: piiCounts.optional(),
  reply: reply.optional(),
});

/** One answered question, for the audit trail: who, when, what was cited, which models; the question only when configured. */
export const queryAudited = z.object({
  queryId: z.string().min(1),
  answeredAt: z.iso.datetime(),
  principal: z.string().min(1),
  tenant: z.string().nullable().describe('null: an operator or unauthenticated caller, bound to no tenant'),
  mode: z.enum(['sync', 'stream', 'async']),
  citedDocuments: z.array(z.string()),
  models: z.object({ llm: z.string(), embedding: z.string() }),
  usage: usage.optional(),
  fallback: z.string().optional(),
  pii: piiCounts.optional(),
  question: z.string().optional(),
});

export const documentChunked = z.object({ document: documentRef, batch, chunks: z.array(chunk).min(1).max(512) });

export const chunksEmbedded = documentChunked.extend({
  ...embeddingModel.shape,
  vectors: z.array(vector).min(1).max(512),
});

export const documentIndexed = z.object({
  docId: id,
  tenant: label,
  version: z.string(),
  chunkCount: z.number().int().min(0),
  collection: z.string(),
  model: z.string(),
  /** Milliseconds from upload to searchable, when the upload time is known. */
  latencyMs: z.number().int().optional(),
});

export const documentDeleted = z.object({ docId: id, tenant: label, chunkCount: z.number().int().min(0), collection: z.string() });

export const documentFailed = z.object({
  docId: z.string(),
  tenant: label,
  source: z.string(),
  /** A stable snake_case problem code, e.g. unsupported_content_type, payload_too_large. */
  reason: z.string().min(1).max(64),
  detail: z.string().max(1000),
});

/** GCS object CloudEvents as Eventarc delivers them (google.cloud.storage.object.v1.*). */
export const gcsObject = z.object({
  bucket: z.string().min(1).max(222),
  name: z.string().min(1).max(1024),
  generation: z.string().regex(/^\d{1,30}$/),
  contentType: z.string().max(256).optional(),
  size: z.string().regex(/^\d+$/).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  timeCreated: z.iso.datetime().optional(),
  updated: z.iso.datetime().optional(),
});

export type ChatMessage = z.output<typeof chatMessage>;
export type Citation = z.output<typeof citation>;
export type Passage = z.output<typeof passage>;
export type SearchFilter = z.output<typeof accessFilter>;
export type RetrievalMode = z.output<typeof retrievalMode>;
export type Retrieval = z.output<typeof retrieval>;
