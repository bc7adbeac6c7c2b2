// End-to-end synchronous /v1/query latency at a given concurrency, with the
// LLM replaced by a local server answering at once: the pipeline's own overhead.
import { round, summarize, type Figure } from './stats.ts';

const QUESTIONS = ['What is the refund policy?', 'How long does delivery take?', 'Where is the warehouse?', 'Which payment methods are accepted?'];

export async function queryLatency(url: string, concurrency: number, total: number): Promise<Figure[]> {
  const latencies: number[] = [];
  const steps: Record<string, number[]> = {};
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t = performance.now();
      const response = await fetch(`${url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUESTIONS[i % QUESTIONS.length] }) });
      const body = (await response.json()) as { timings?: Record<string, number> };
      if (!response.ok) throw new Error(`query failed: ${response.status} ${JSON.stringify(body)}`);
      latencies.push(performance.now() - t);
      for (const [step, ms] of Object.entries(body.timings ?? {})) (steps[step] ??= []).push(ms);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const s = summarize(latencies);
  const figures: Figure[] = [
    { name: 'query_latency_p50', unit: 'ms', value: round(s.p50), params: { concurrency, requests: total } },
    { name: 'query_latency_p95', unit: 'ms', value: round(s.p95), params: { concurrency, requests: total } },
    { name: 'query_throughput', unit: 'queries/s', value: round(total / seconds), params: { concurrency, requests: total } },
  ];
  for (const [step, values] of Object.entries(steps)) {
    if (step === 'totalMs') continue;
    figures.push({ name: `query_step_p50_${step.replace(/Ms$/, '')}`, unit: 'ms', value: round(summarize(values).p50), params: { concurrency } });
  }
  return figures;
}
