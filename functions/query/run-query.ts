// The synchronous query path: embed -> search -> (rerank) -> prompt -> generate, each step
// called over HTTP with the CloudEvent the Broker would deliver to it.
import { randomUUID } from 'node:crypto';
import type { StepsConfig } from '../../shared/config/schemas.ts';
import type { Citation } from '../../shared/events/data-schemas.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { callStep, requireReply } from '../../shared/http/step-client.ts';
import type { QueryRequest, QueryResponse } from './api-schemas.ts';
import { streamGenerate } from './stream-generate.ts';
import { createTimings } from './timings.ts';

export const SOURCE = '/ragnative/query';

export interface QueryRun {
  /** Who asked (query.received's principal). */
  principal: { id: string; operator: boolean };
  traceparent: string | undefined;
  signal: AbortSignal;
  /** Streaming: called once the citations are known, then per answer delta. */
  onCitations?: (citations: Citation[]) => void;
  onDelta?: (text: string) => void;
}

export async function runQuery(request: QueryRequest, steps: StepsConfig, run: QueryRun): Promise<QueryResponse> {
  const queryId = randomUUID();
  const timings = createTimings();
  const options = { source: SOURCE, subject: queryId, traceparent: run.traceparent };
  const call = { timeoutMs: steps.STEP_TIMEOUT_MS, signal: run.signal };
  const rerank = steps.RERANK_STEP_URL;
  const received = { queryId, query: request.query.trim(), topK: request.topK, ...(rerank ? { candidates: steps.RERANK_CANDIDATES } : {}), filter: request.filter ?? {}, retrieval: request.retrieval ?? {}, principal: run.principal };

  const embedded = await timings.time('embed', async () =>
    requireReply('embed', await callStep({ ...call, step: 'embed', url: steps.EMBED_URL, onServerTiming: timings.reported('embed'), expect: 'dev.ragnative.query.embedded.v1', event: makeEvent('dev.ragnative.query.received.v1', received, options) })),
  );
  const found = await timings.time('search', async () =>
    requireReply('search', await callStep({ ...call, step: 'search', url: steps.SEARCH_URL, onServerTiming: timings.reported('search'), expect: 'dev.ragnative.query.retrieved.v1', event: makeEvent('dev.ragnative.query.embedded.v1', embedded, options) })),
  );
  // The optional rerank step; unset, no hop at all.
  const retrieved = rerank
    ? await timings.time('rerank', async () =>
        requireReply('rerank', await callStep({ ...call, step: 'rerank', url: rerank, expect: 'dev.ragnative.query.reranked.v1', event: makeEvent('dev.ragnative.query.retrieved.v1', found, options) })),
      )
    : found;
  const prompt = await timings.time('prompt', async () =>
    requireReply('prompt', await callStep({ ...call, step: 'prompt', url: steps.PROMPT_URL, expect: 'dev.ragnative.prompt.built.v1', event: makeEvent('dev.ragnative.query.retrieved.v1', retrieved, options) })),
  );
  run.onCitations?.(prompt.citations);
  const generateCall = { ...call, step: 'generate', url: steps.GENERATE_URL, event: makeEvent('dev.ragnative.prompt.built.v1', prompt, options) };
  const answer = await timings.time('generate', async () =>
    run.onDelta
      ? streamGenerate(generateCall, run.onDelta)
      : requireReply('generate', await callStep({ ...generateCall, onServerTiming: timings.reported('generate'), expect: 'dev.ragnative.answer.generated.v1' })),
  );
  return {
    id: queryId,
    answer: answer.answer,
    citations: answer.citations,
    model: answer.model,
    embeddingModel: embedded.model,
    retrieval: retrieved.retrieval,
    ...(answer.fallback ? { fallback: answer.fallback } : {}),
    ...(answer.usage ? { usage: answer.usage } : {}),
    ...(answer.pii && Object.keys(answer.pii).length > 0 ? { pii: answer.pii } : {}),
    timings: timings.done(),
  };
}
