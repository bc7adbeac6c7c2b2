// The metrics operators expect, one registry per process, served at GET /metrics
// in the Prometheus text format. Labels carry names and codes only.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const metrics = {
  httpRequests: new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames: ['function', 'method', 'status'], registers: [registry] }),
  httpDuration: new Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['function', 'method'], buckets: latencyBuckets, registers: [registry] }),
  embeddingRequests: new Counter({ name: 'embedding_requests_total', help: 'Embedding calls', labelNames: ['model'], registers: [registry] }),
  embeddingTexts: new Counter({ name: 'embedding_texts_total', help: 'Texts embedded', labelNames: ['model'], registers: [registry] }),
  embeddingLatency: new Histogram({ name: 'embedding_latency_seconds', help: 'Embedding call latency', labelNames: ['model'], buckets: latencyBuckets, registers: [registry] }),
  embeddingCudaFallbacks: new Counter({ name: 'embedding_cuda_fallbacks_total', help: 'Model loads that fell back from CUDA to CPU', registers: [registry] }),
  milvusSearchLatency: new Histogram({ name: 'milvus_search_latency_seconds', help: 'Milvus search latency', buckets: latencyBuckets, registers: [registry] }),
  milvusInsertLatency: new Histogram({ name: 'milvus_insert_latency_seconds', help: 'Milvus upsert latency', buckets: latencyBuckets, registers: [registry] }),
  milvusRequests: new Counter({ name: 'milvus_requests_total', help: 'Milvus calls by operation', labelNames: ['operation'], registers: [registry] }),
  milvusErrors: new Counter({ name: 'milvus_errors_total', help: 'Milvus calls that failed (transport or status)', labelNames: ['operation'], registers: [registry] }),
  llmTokens: new Counter({ name: 'llm_tokens_total', help: 'LLM tokens by model and kind', labelNames: ['model', 'kind'], registers: [registry] }),
  deadLetters: new Counter({ name: 'dead_letters_total', help: 'Events received by the dead-letter sink', labelNames: ['type', 'code'], registers: [registry] }),
  auditPublishFailures: new Counter({ name: 'audit_publish_failures_total', help: 'Audit records the Broker refused on every attempt (they are still logged)', registers: [registry] }),
  auditRecordsDropped: new Counter({ name: 'audit_records_dropped_total', help: 'Audit records not published because the publish queue was full (they are still logged)', registers: [registry] }),
  coldStart: new Gauge({ name: 'function_cold_start_seconds', help: 'Process start to first answered request', labelNames: ['function'], registers: [registry] }),
};
