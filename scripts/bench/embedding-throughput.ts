// Embedding throughput (texts/s) by batch size, in process, through the
// production embedder.
import { loadConfig } from '../../shared/config/load-config.ts';
import { embedConfig } from '../../shared/config/schemas.ts';
import { createEmbedder } from '../../shared/embedding/embedder.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { round, summarize, type Figure } from './stats.ts';

const WORDS = 'customers can return any product within thirty days of delivery for a full refund to the original payment method'.split(' ');

/** A text of exactly `words` words (the sentence repeated), distinct per index. */
const textOf = (words: number, i: number) => [...Array.from({ length: words - 1 }, (_, w) => WORDS[w % WORDS.length]), String(i)].join(' ');

export async function embeddingThroughput(modelDir: string, batchSizes: number[], textWords: number[], repeats: number): Promise<Figure[]> {
  const config = loadConfig(embedConfig, { EMBED_MODEL: modelDir, EMBED_ALLOW_REMOTE: 'false', EMBED_BATCH_SIZE: '1024' });
  const embedder = createEmbedder(config, createLogger({}, () => {}));
  await embedder.warm();
  const figures: Figure[] = [];
  for (const words of textWords) {
    for (const batch of batchSizes) {
      const texts = Array.from({ length: batch }, (_, i) => textOf(words, i));
      await embedder.embed(texts); // warm-up for this shape
      const rates: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const started = performance.now();
        await embedder.embed(texts);
        rates.push(batch / ((performance.now() - started) / 1000));
      }
      const s = summarize(rates);
      figures.push({ name: 'embedding_throughput', unit: 'texts/s', value: round(s.p50), params: { model: embedder.model, batch, words, repeats, min: round(s.min), p95: round(s.p95) } });
    }
  }
  return figures;
}
