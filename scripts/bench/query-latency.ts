// End-to-end synchronous /v1/query latency at a given concurrency, with the
// LLM replaced by a local server answering at once: the pipeline's own overhead.
import { eachConcurrently } from '../each-concurrently.ts';
import { QUESTIONS, TOP_K } from './corpus.ts';
import { round, summarize, type Figure } from './stats.ts';

export async function queryLatency(url: string, concurrency: number, total: number): Promise<Figure[]> {
  const latencies: number[] = [];
  const steps: Record<string, number[]> = {};
  const ask = (i: number) => fetch(`${url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUESTIONS[i % QUESTIONS.length], topK: TOP_K }) });
  await (await ask(0)).text(); // untimed warm-up, as the LangChain run has
  const started = performance.now();
  await eachConcurrently(Array.from({ length: total }, (_, i) => i), concurrency, async (i) => {
    const t = performance.now();
    const response = await ask(i);
    const body = (await response.json()) as { timings?: Record<string, number> };
    if (!response.ok) throw new Error(`query failed: ${response.status} ${JSON.stringify(body)}`);
    latencies.push(performance.now() - t);
    for (const [step, ms] of Object.entries(body.timings ?? {})) (steps[step] ??= []).push(ms);
  });
  const seconds = (performance.now() - started) / 1000;
  const s = summarize(latencies);
  const figures: Figure[] = [
    { name: 'query_latency_p50', unit: 'ms', value: round(s.p50), params: { pipeline: 'ragnative', concurrency, requests: total, topK: TOP_K, min: round(s.min), max: round(s.max) } },
    { name: 'query_latency_p95', unit: 'ms', value: round(s.p95), params: { pipeline: 'ragnative', concurrency, requests: total, topK: TOP_K } },
    { name: 'query_throughput', unit: 'queries/s', value: round(total / seconds), params: { pipeline: 'ragnative', concurrency, requests: total, topK: TOP_K } },
  ];
  for (const [step, values] of Object.entries(steps)) {
    if (step === 'totalMs') continue;
    figures.push({ name: `query_step_p50_${step.replace(/Ms$/, '')}`, unit: 'ms', value: round(summarize(values).p50), params: { concurrency } });
  }
  return figures;
}
