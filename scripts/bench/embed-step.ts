// A transformer model's embedding speed in tokens/s, in process (the production
// embedder) and through the embed function (HTTP, CloudEvents, validation and
// tokenizer included), on chunks of 128 tokens, by batch size and dtype; and a
// short question's round trip through the function.
import { spawn } from 'node:child_process';
import { AutoTokenizer } from '@huggingface/transformers';
import { loadConfig } from '../../shared/config/load-config.ts';
import { embedConfig } from '../../shared/config/schemas.ts';
import { createEmbedder } from '../../shared/embedding/embedder.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { callStep } from '../../shared/http/step-client.ts';
import { sequenceToken } from '../../shared/identity/sequence.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { eachConcurrently } from '../each-concurrently.ts';
import { RUNTIMES } from './cold-start.ts';
import { round, summarize, type Figure } from './stats.ts';

const SENTENCE = 'Customers can return any product within thirty days of delivery for a full refund to the original payment method, unless the seal is broken.';
const QUESTION = 'How long do refunds take?';
export const CHUNK_TOKENS = 128;

/** Texts of exactly `tokens` tokens for the model's tokenizer (special tokens included), distinct per index. */
async function textsOf(modelDir: string, tokens: number, count: number): Promise<string[]> {
  const tokenizer = await AutoTokenizer.from_pretrained(modelDir, { local_files_only: true });
  const length = (text: string) => (tokenizer.encode(text) as number[]).length;
  return Array.from({ length: count }, (_, i) => {
    const words = `${i} ${SENTENCE.repeat(Math.ceil(tokens / 20))}`.split(' ');
    while (length(words.join(' ')) > tokens) words.pop();
    return words.join(' ');
  });
}

const median = (samples: number[]) => summarize(samples).p50;

async function inProcess(modelDir: string, dtype: 'fp32' | 'q8', texts: string[], batches: number[], repeats: number) {
  const embedder = createEmbedder(loadConfig(embedConfig, { EMBED_MODEL: modelDir, EMBED_ALLOW_REMOTE: 'false', EMBED_DTYPE: dtype, EMBED_BATCH_SIZE: '1024' }), createLogger({}, () => {}));
  await embedder.warm();
  const rates = new Map<number, number>();
  for (const batch of batches) {
    const slice = texts.slice(0, batch);
    await embedder.embed(slice);
    const samples: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const started = performance.now();
      await embedder.embed(slice);
      samples.push((batch * CHUNK_TOKENS) / ((performance.now() - started) / 1000));
    }
    rates.set(batch, median(samples));
  }
  return rates;
}

async function startEmbedFunction(modelDir: string, dtype: string, port: number) {
  const child = spawn(process.execPath, [...RUNTIMES.bundled], {
    env: { ...process.env, FUNCTION_TARGET: 'embed', PORT: String(port), METRICS_PORT: String(port + 1), EMBED_MODEL: modelDir, EMBED_ALLOW_REMOTE: 'false', EMBED_DTYPE: dtype, LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; !(await fetch(`${url}/readyz`).then((r) => r.ok, () => false)); waited += 50) {
    if (child.exitCode !== null || waited > 120_000) throw new Error('the embed function did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, stop: () => new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM')) };
}

/** tokens/s through the function: document.chunked events of `batch` chunks, two in flight, as the pipeline sends them. */
async function throughFunction(url: string, texts: string[], batch: number, repeats: number) {
  const document = { id: 'bench', version: 'v1', sequence: sequenceToken(1n), source: 'bench.md', tenant: 'default', tags: [], groups: [], contentType: 'text/plain', metadata: {} };
  const events = Array.from({ length: Math.max(4, Math.ceil(texts.length / batch)) }, (_, e) => {
    const chunks = Array.from({ length: batch }, (_, i) => ({ index: i, text: texts[(e * batch + i) % texts.length]! }));
    return makeEvent('dev.ragnative.document.chunked.v1', { document, batch: { index: e, count: 1_000, totalChunks: 1_000_000 }, chunks }, { source: '/bench', subject: 'bench', traceparent: undefined });
  });
  const send = (event: (typeof events)[number]) => callStep({ step: 'embed', url, event, expect: 'dev.ragnative.chunks.embedded.v1', timeoutMs: 120_000, signal: undefined });
  await send(events[0]!);
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    await eachConcurrently(events, 2, async (event) => void (await send(event)));
    samples.push((events.length * batch * CHUNK_TOKENS) / ((performance.now() - started) / 1000));
  }
  return median(samples);
}

async function questionRoundTrip(url: string, repeats: number) {
  const ask = (i: number) => makeEvent('dev.ragnative.query.received.v1', { queryId: `q${i}`, query: QUESTION, topK: 5 }, { source: '/bench', subject: `q${i}`, traceparent: undefined });
  await callStep({ step: 'embed', url, event: ask(0), expect: 'dev.ragnative.query.embedded.v1', timeoutMs: 10_000, signal: undefined });
  const samples: number[] = [];
  for (let i = 1; i <= repeats; i++) {
    const started = performance.now();
    await callStep({ step: 'embed', url, event: ask(i), expect: 'dev.ragnative.query.embedded.v1', timeoutMs: 10_000, signal: undefined });
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

export async function embedStepThroughput(modelDir: string, label: string, options: { batches: number[]; repeats: number; port: number }): Promise<Figure[]> {
  const { batches, repeats, port } = options;
  const texts = await textsOf(modelDir, CHUNK_TOKENS, Math.max(...batches) * 4);
  const figures: Figure[] = [];
  for (const dtype of ['fp32', 'q8'] as const) {
    const local = await inProcess(modelDir, dtype, texts, batches, repeats);
    const fn = await startEmbedFunction(modelDir, dtype, port);
    try {
      for (const batch of batches) {
        const params = { model: label, dtype, batch, tokensPerText: CHUNK_TOKENS, repeats };
        const remote = await throughFunction(fn.url, texts, batch, repeats);
        figures.push(
          { name: 'embedding_tokens_per_second', unit: 'tokens/s', value: round(local.get(batch)!), params: { ...params, where: 'in process' } },
          { name: 'embedding_tokens_per_second', unit: 'tokens/s', value: round(remote), params: { ...params, where: 'embed function (HTTP)' } },
          { name: 'ratio_embed_function_vs_in_process', unit: 'ratio', value: round(remote / local.get(batch)!, 2), params },
        );
      }
      const question = await questionRoundTrip(fn.url, repeats * 10);
      figures.push({ name: 'embed_question_latency_p50', unit: 'ms', value: round(question.p50, 2), params: { model: label, dtype, question: QUESTION, requests: question.n, p95: round(question.p95, 2), where: 'embed function (HTTP)' } });
    } finally {
      await fn.stop();
    }
  }
  return figures;
}
