// End-to-end synchronous /v1/query latency at a given concurrency, with the
// LLM replaced by a local server answering at once, and the pipeline's own
// overhead per question: its latency minus the work the steps report waiting on
// in their Server-Timing (the embedding model, Milvus, the LLM).
import { eachConcurrently } from '../each-concurrently.ts';
import { QUESTIONS, TOP_K } from './corpus.ts';
import { round, summarize, type Figure } from './stats.ts';

const WAITED_ON = ['embedModelMs', 'searchMilvusMs', 'generateLlmMs'] as const;

/** `labels` name the stack's model and corpus in every figure. */
export async function queryLatency(url: string, concurrency: number, total: number, labels: { model: string; corpus: string }): Promise<Figure[]> {
  const latencies: number[] = [];
  const overheads: number[] = [];
  const steps: Record<string, number[]> = {};
  const ask = (i: number) => fetch(`${url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUESTIONS[i % QUESTIONS.length], topK: TOP_K }) });
  await (await ask(0)).text(); // untimed warm-up, as the LangChain run has
  const started = performance.now();
  await eachConcurrently(Array.from({ length: total }, (_, i) => i), concurrency, async (i) => {
    const t = performance.now();
    const response = await ask(i);
    const body = (await response.json()) as { timings?: Record<string, number> };
    if (!response.ok) throw new Error(`query failed: ${response.status} ${JSON.stringify(body)}`);
    const latency = performance.now() - t;
    latencies.push(latency);
    const timings = body.timings ?? {};
    for (const [step, ms] of Object.entries(timings)) (steps[step] ??= []).push(ms);
    const missing = WAITED_ON.filter((name) => timings[name] === undefined);
    if (missing.length > 0) throw new Error(`the answer's timings lack ${missing.join(', ')}`);
    overheads.push(latency - WAITED_ON.reduce((sum, name) => sum + timings[name]!, 0));
  });
  const seconds = (performance.now() - started) / 1000;
  const s = summarize(latencies);
  const o = summarize(overheads);
  const params = { pipeline: 'ragnative', ...labels, concurrency, requests: total, topK: TOP_K };
  const figures: Figure[] = [
    { name: 'query_latency_p50', unit: 'ms', value: round(s.p50), params: { ...params, min: round(s.min), max: round(s.max) } },
    { name: 'query_latency_p95', unit: 'ms', value: round(s.p95), params },
    { name: 'query_throughput', unit: 'queries/s', value: round(total / seconds), params },
    { name: 'query_overhead_p50', unit: 'ms', value: round(o.p50, 2), params: { ...params, meaning: 'latency minus embedModelMs, searchMilvusMs and generateLlmMs' } },
    { name: 'query_overhead_p95', unit: 'ms', value: round(o.p95, 2), params: { ...params, meaning: 'latency minus embedModelMs, searchMilvusMs and generateLlmMs' } },
  ];
  for (const [step, values] of Object.entries(steps)) {
    if (step === 'totalMs') continue;
    figures.push({ name: `query_step_p50_${step.replace(/Ms$/, '')}`, unit: 'ms', value: round(summarize(values).p50), params: { ...labels, concurrency } });
  }
  return figures;
}
