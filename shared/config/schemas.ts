// One zod schema per concern. Defaults are for a laptop; secrets have none.
import { z } from 'zod';

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const bool = (fallback: boolean) =>
  z.enum(['true', 'false', '1', '0']).default(fallback ? 'true' : 'false').transform((v) => v === 'true' || v === '1');
const url = z.url({ protocol: /^https?$/ });

export const serverConfig = z.object({
  PORT: int(8080, 0, 65535),
});

/** Where a function listens: loopback unless told otherwise (the images set HOST=0.0.0.0). */
export const listenConfig = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Prometheus metrics, on their own port (0: none). */
  METRICS_PORT: int(9090, 0, 65535),
});

/** The largest step event a function reads (a chunk batch with its vectors is well under it). */
export const eventLimitsConfig = z.object({
  MAX_EVENT_BYTES: int(4 * 1024 * 1024, 1024),
});

export const milvusConfig = z.object({
  MILVUS_ADDRESS: z.string().min(1).default('127.0.0.1:19530'),
  MILVUS_TOKEN: z.string().min(1).optional(),
  MILVUS_COLLECTION_PREFIX: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/).default('ragnative'),
  MILVUS_TIMEOUT_MS: int(10_000, 100),
});

export const embedConfig = z.object({
  EMBED_MODEL: z.string().min(1).default('Xenova/all-MiniLM-L6-v2'),
  EMBED_ALLOW_REMOTE: bool(true),
  EMBED_CACHE_DIR: z.string().min(1).optional(),
  EMBED_DTYPE: z.enum(['fp32', 'q8']).default('fp32'),
  EMBED_DEVICE: z.enum(['cpu', 'cuda']).default('cpu'),
  // Texts per inference call. On CPU all-MiniLM-L6-v2 embeds fastest in batches of 8 (BENCHMARKS.md, tokens/s by
  // batch), and its memory grows with the batch (a one-off probe: 552 MiB peak at 8, 889 at 32, 200-token
  // chunks); the GPU revision sets 128 (knative/).
  EMBED_BATCH_SIZE: int(8, 1, 1024),
});

/** How the search step fuses dense and keyword results (hybrid retrieval). */
export const searchConfig = z.object({
  SEARCH_FUSION: z.enum(['rrf', 'weighted']).default('weighted'), // chosen by `npm run eval`: EVALUATION.md
  SEARCH_RRF_K: int(60, 1, 10_000),
  SEARCH_KEYWORD_WEIGHT: z.coerce.number().min(0).max(1).default(0.3),
  SEARCH_CANDIDATES: int(20, 1, 1_000),
});

export const promptConfig = z.object({
  PROMPT_TOKEN_BUDGET: int(3000, 200, 200_000),
  PROMPT_MIN_SCORE: z.coerce.number().min(-1).max(1).default(0.25),
});

export const openaiConfig = z.object({
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: url.optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: int(30_000, 100),
  OPENAI_MAX_RETRIES: int(1, 0, 5),
  OPENAI_MAX_TOKENS: int(512, 1, 32_000),
});

export const stepsConfig = z.object({
  EMBED_URL: url.default('http://127.0.0.1:8081'),
  SEARCH_URL: url.default('http://127.0.0.1:8082'),
  PROMPT_URL: url.default('http://127.0.0.1:8083'),
  GENERATE_URL: url.default('http://127.0.0.1:8084'),
  INDEX_URL: url.default('http://127.0.0.1:8085'),
  /** The optional rerank step: unset, there is no hop at all. */
  RERANK_STEP_URL: url.optional(),
  /** With a rerank step: how many passages search finds for it to choose topK from. */
  RERANK_CANDIDATES: int(30, 1, 1_000),
  STEP_TIMEOUT_MS: int(60_000, 100),
});

/** The rerank step's cross-encoder service: a server speaking the common /rerank API. */
export const rerankConfig = z.object({
  RERANK_URL: url,
  /** tei: Hugging Face text-embeddings-inference (POST /rerank); cohere: Cohere, Jina, Infinity (POST /v1/rerank). */
  RERANK_API: z.enum(['tei', 'cohere']).default('tei'),
  RERANK_MODEL: z.string().min(1).default('BAAI/bge-reranker-base'),
  RERANK_API_KEY: z.string().min(1).optional(),
  RERANK_TIMEOUT_MS: int(3_000, 100),
});

export const limitsConfig = z.object({
  MAX_QUERY_CHARS: int(2_000, 1),
  MAX_TOP_K: int(50, 1, 16_384),
  MAX_DOCUMENT_BYTES: int(5 * 1024 * 1024, 1),
  CHUNK_TOKENS: int(200, 16, 4_000), // 4,000 tokens stay under the 16,000-character chunk limit,
  CHUNK_OVERLAP_TOKENS: int(30, 0, 4_000),
  CHUNKS_PER_EVENT: int(32, 1, 512),
  /** Parsing limits: a document over one is refused (413 document_too_complex), never half-read. */
  MAX_DOCUMENT_PAGES: int(2_000, 1), // PDF pages or slides
  MAX_DOCUMENT_SHEETS: int(64, 1),
  MAX_SHEET_CELLS: int(1_000_000, 1), // across all sheets, or a CSV
  MAX_EXPANDED_BYTES: int(256 * 1024 * 1024, 1024), // what an Office file (a zip) may unpack to
  /** Document preparation runs in worker processes: how many, how many documents may wait for one, and how long and how much heap one document may take. */
  PREPARE_WORKERS: int(1, 1, 64),
  PREPARE_QUEUE: int(32, 0, 10_000),
  PREPARE_TIMEOUT_MS: int(60_000, 100),
  PREPARE_MAX_HEAP_MB: int(768, 128), // below 128 the worker's own modules may not load
});

export type MilvusConfig = z.output<typeof milvusConfig>;
export type EmbedConfig = z.output<typeof embedConfig>;
export type SearchConfig = z.output<typeof searchConfig>;
export type PromptConfig = z.output<typeof promptConfig>;
export type OpenAIConfig = z.output<typeof openaiConfig>;
export type StepsConfig = z.output<typeof stepsConfig>;
export type RerankConfig = z.output<typeof rerankConfig>;
export type LimitsConfig = z.output<typeof limitsConfig>;

export const storageConfig = z.object({
  /** S3-compatible endpoint (MinIO, S3, GCS interoperability); unset means AWS S3. */
  S3_ENDPOINT: url.optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** The watched local folder, served as the bucket LOCAL_BUCKET_NAME. */
  RAG_WATCH_DIR: z.string().min(1).default('./data/bucket'),
  LOCAL_BUCKET_NAME: z.string().min(1).default('local'),
});

/** Where functions that emit more than one event publish them (Knative SinkBinding sets K_SINK). */
export const sinkConfig = z.object({
  K_SINK: url,
});

export const optionalSinkConfig = sinkConfig.partial();

export type StorageConfig = z.output<typeof storageConfig>;

/**
 * Who may call the public query URL. RAG_AUTH=disabled turns authentication off
 * (an explicit, logged choice). Two kinds of credential are accepted:
 * - API keys, stored as SHA-256 hashes, each bound to a tenant (or `*`, all
 *   tenants, for operators) and the groups whose restricted documents it may
 *   read: RAG_API_KEYS="<sha256 hex>=<tenant>@<group>,<group>;<sha256 hex>=*".
 * - OIDC bearer tokens (JWTs) from RAG_OIDC_ISSUER for RAG_OIDC_AUDIENCE, checked
 *   against the issuer's published keys (RAG_OIDC_JWKS_URL, or its discovery
 *   document); the tenant is the RAG_OIDC_TENANT_CLAIM claim, the groups the
 *   RAG_OIDC_GROUPS_CLAIM claim (a list of strings).
 */
export const authConfig = z
  .object({
    RAG_AUTH: z.enum(['required', 'disabled']).default('required'),
    RAG_API_KEYS: z
      .string()
      .default('')
      .transform((value, ctx) => {
        const entries = value.split(';').map((e) => e.trim()).filter(Boolean);
        const keys = entries.map((entry) => /^([0-9a-f]{64})=([^\u0000-\u001f;=@]{1,256})(?:@([^\u0000-\u001f;=@]{1,2048}))?$/.exec(entry));
        if (keys.some((k) => !k)) ctx.addIssue({ code: 'custom', message: 'entries must be <sha256 hex>=<tenant>[@<group>,<group>…], separated by ;' });
        return keys
          .filter((k) => k !== null)
          .map(([, hash, tenant, groups]) => ({ hash: hash!, tenant: tenant!, groups: (groups ?? '').split(',').map((g) => g.trim()).filter(Boolean) }));
      }),
    RAG_OIDC_ISSUER: url.optional(),
    RAG_OIDC_AUDIENCE: z.string().min(1).optional(),
    RAG_OIDC_JWKS_URL: url.optional(),
    RAG_OIDC_TENANT_CLAIM: z.string().min(1).default('tenant'),
    RAG_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
    RAG_OIDC_ALGORITHMS: z
      .string()
      .default('RS256,ES256')
      .transform((value) => value.split(',').map((a) => a.trim()).filter(Boolean))
      .pipe(z.array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'])).min(1)),
    RAG_MAX_CONCURRENT_PER_KEY: int(8, 1, 10_000),
  })
  .refine((c) => !c.RAG_OIDC_ISSUER || c.RAG_OIDC_AUDIENCE, { message: 'RAG_OIDC_ISSUER needs RAG_OIDC_AUDIENCE: tokens meant for other services must not be accepted', path: ['RAG_OIDC_AUDIENCE'] });

export type AuthConfig = z.output<typeof authConfig>;

/**
 * Asynchronous questions and the audit trail. RAG_REPLY_SECRET signs where an
 * answer is delivered (without it, asynchronous questions are refused with 501);
 * every query replica needs the same one, from a Secret.
 */
export const queryAuditConfig = z.object({
  RAG_REPLY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** How long a signed reply may be delivered: longer than the Broker's whole retry budget. */
  RAG_REPLY_TTL_SECONDS: int(900, 10, 86_400),
  RAG_AUDIT_QUESTIONS: bool(false),
  /** Asynchronous questions per minute per caller (each costs LLM tokens later). */
  RAG_ASYNC_PER_MINUTE: int(30, 1, 100_000),
  /**
   * Callback targets allowed although they are private, loopback or on another
   * port: host names or CIDR networks, comma-separated.
   */
  RAG_CALLBACK_ALLOW: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean)),
});

export type QueryAuditConfig = z.output<typeof queryAuditConfig>;

/**
 * OpenTelemetry's standard variables, as far as ragnative decides on them: the
 * SDK is started when an OTLP endpoint is set (shared/observability/otel-sdk.ts).
 */
export const otelConfig = z.object({
  OTEL_SDK_DISABLED: bool(false),
  OTEL_TRACES_EXPORTER: z.string().default('otlp'),
  OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url.optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_BSP_SCHEDULE_DELAY: int(5_000, 1, 600_000),
});
