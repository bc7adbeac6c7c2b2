// Loads a transformers.js feature-extraction pipeline from a hub id or a local
// folder. With remote loading off nothing is fetched: a missing file fails fast.
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { resolve } from 'node:path';
import type { EmbedConfig } from '../config/schemas.ts';
import type { Logger } from '../observability/logger.ts';
import { metrics } from '../observability/metrics.ts';
import { isLocalModel } from './model-id.ts';

export async function loadExtractor(config: EmbedConfig, logger: Logger): Promise<{ extractor: FeatureExtractionPipeline; device: string }> {
  env.allowRemoteModels = config.EMBED_ALLOW_REMOTE;
  if (config.EMBED_CACHE_DIR) env.cacheDir = config.EMBED_CACHE_DIR;
  const model = isLocalModel(config.EMBED_MODEL) ? resolve(config.EMBED_MODEL) : config.EMBED_MODEL;
  const load = (device: 'cpu' | 'cuda') =>
    pipeline('feature-extraction', model, { dtype: config.EMBED_DTYPE, device, local_files_only: !config.EMBED_ALLOW_REMOTE });
  if (config.EMBED_DEVICE === 'cuda') {
    try {
      return { extractor: await load('cuda'), device: 'cuda' };
    } catch (error) {
      // transformers.js throws instead of falling back when CUDA cannot start.
      metrics.embeddingCudaFallbacks.inc();
      logger.warn('embed.cuda_unavailable', { fallback: 'cpu', errorMessage: String((error as Error).message).slice(0, 300) });
    }
  }
  return { extractor: await load('cpu'), device: 'cpu' };
}
