// Asks a cross-encoder service to score passages against a question, over the
// common /rerank HTTP API in either of its two shapes:
// - tei (Hugging Face text-embeddings-inference): POST {url}/rerank
//   {query, texts, truncate} -> [{index, score}]
// - cohere (Cohere, Jina, Infinity): POST {url}/v1/rerank
//   {model, query, documents, top_n} -> {results: [{index, relevance_score}]}
// Returns one score per text, in the texts' order; throws a ProblemError when
// the service is slow, down or answers something else.
import { z } from 'zod';
import type { RerankConfig } from '../../shared/config/schemas.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';

export type Rerank = (query: string, texts: string[]) => Promise<number[]>;

const teiReply = z.array(z.object({ index: z.number().int().min(0), score: z.number() }));
const cohereReply = z.object({ results: z.array(z.object({ index: z.number().int().min(0), relevance_score: z.number() })) });

export function createRerankClient(config: RerankConfig): Rerank {
  const base = config.RERANK_URL.replace(/\/+$/, '');
  const headers = { 'content-type': 'application/json', ...(config.RERANK_API_KEY ? { authorization: `Bearer ${config.RERANK_API_KEY}` } : {}) };
  return async (query, texts) => {
    const tei = config.RERANK_API === 'tei';
    const [url, body] = tei
      ? [`${base}/rerank`, { query, texts, truncate: true }]
      : [`${base}/v1/rerank`, { model: config.RERANK_MODEL, query, documents: texts, top_n: texts.length }];
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(config.RERANK_TIMEOUT_MS) });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new ProblemError(timedOut ? 'deadline_exceeded' : 'step_unavailable', timedOut ? `The reranker did not answer within ${config.RERANK_TIMEOUT_MS} ms` : 'The reranker is unreachable', { cause: error });
    }
    if (!response.ok) throw new ProblemError('step_unavailable', `The reranker answered ${response.status}`);
    const json: unknown = await response.json().catch(() => undefined);
    const pairs = tei
      ? teiReply.safeParse(json).data?.map((r) => [r.index, r.score] as const)
      : cohereReply.safeParse(json).data?.results.map((r) => [r.index, r.relevance_score] as const);
    const scores: (number | undefined)[] = texts.map(() => undefined);
    for (const [index, score] of pairs ?? []) if (index < texts.length) scores[index] = score;
    if (!pairs || scores.some((score) => score === undefined)) throw new ProblemError('step_unavailable', 'The reranker answered without a score for every passage');
    return scores as number[];
  };
}
