// One model per process, loaded lazily and memoised as a promise so concurrent
// cold requests share one load; a failed load is forgotten so the next request retries.
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import type { EmbedConfig } from '../config/schemas.ts';
import { ProblemError } from '../errors/problem-error.ts';
import type { Logger } from '../observability/logger.ts';
import { metrics } from '../observability/metrics.ts';
import { withSpan } from '../observability/tracing.ts';
import { loadExtractor } from './load-extractor.ts';
import { modelId } from './model-id.ts';

export interface Embedder {
  /** The model's stable name (see modelId). */
  readonly model: string;
  /** L2-normalised mean-pooled vectors, one per text, in order. */
  embed(texts: readonly string[]): Promise<number[][]>;
  /** Loads the model now (readiness probes, warm-up). */
  warm(): Promise<void>;
}

/**
 * The pooling a checkpoint converted by scripts/models/convert-sentence-transformer.ts
 * recorded in its config.json (bge-style models pool the CLS token); mean otherwise.
 * Vectors are always normalised: the collections compare them by cosine.
 */
function poolingOf(pipe: FeatureExtractionPipeline): 'mean' | 'cls' {
  return (pipe.model.config as unknown as { ragnative?: { pooling?: string } }).ragnative?.pooling === 'cls' ? 'cls' : 'mean';
}

export function createEmbedder(config: EmbedConfig, logger: Logger): Embedder {
  let loading: Promise<FeatureExtractionPipeline> | undefined;
  const model = modelId(config.EMBED_MODEL);

  const extractor = (): Promise<FeatureExtractionPipeline> => {
    loading ??= (async () => {
      const started = performance.now();
      const { extractor, device } = await loadExtractor(config, logger);
      logger.info('embed.model_loaded', { model, dtype: config.EMBED_DTYPE, device, ms: Math.round(performance.now() - started) });
      return extractor;
    })().catch((error: unknown) => {
      loading = undefined;
      throw new ProblemError('model_unavailable', `Embedding model ${model} could not be loaded`, { cause: error });
    });
    return loading;
  };

  return {
    model,
    warm: async () => void (await extractor()),
    embed: (texts) =>
      withSpan('embed.infer', async (span) => {
        const pipe = await extractor();
        span.setAttributes({ 'embed.model': model, 'embed.texts': texts.length });
        const stop = metrics.embeddingLatency.startTimer({ model });
        metrics.embeddingRequests.inc({ model });
        metrics.embeddingTexts.inc({ model }, texts.length);
        const vectors: number[][] = [];
        for (let start = 0; start < texts.length; start += config.EMBED_BATCH_SIZE) {
          const batch = texts.slice(start, start + config.EMBED_BATCH_SIZE);
          const output = await pipe([...batch], { pooling: poolingOf(pipe), normalize: true });
          vectors.push(...(output.tolist() as number[][]));
        }
        stop();
        // A text with no token the model knows (a bag-of-words model and "!!!") pools to 0/0.
        const empty = vectors.findIndex((v) => !v.every(Number.isFinite));
        if (empty >= 0) throw new ProblemError('not_embeddable', `Text ${empty + 1} of ${texts.length} has no word the embedding model ${model} knows`);
        return vectors;
      }),
  };
}
