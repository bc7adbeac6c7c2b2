// The generated test model is deterministic and loads through the production loader.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeTestModel } from '../../scripts/models/make-test-model.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { embedConfig } from '../../shared/config/schemas.ts';
import { createEmbedder } from '../../shared/embedding/embedder.ts';
import { createLogger } from '../../shared/observability/logger.ts';

const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx'];
const work = await mkdtemp(join(tmpdir(), 'ragnative-model-'));
after(() => rm(work, { recursive: true, force: true }));

const digest = async (dir: string) =>
  Promise.all(FILES.map(async (file) => createHash('sha256').update(await readFile(join(dir, file))).digest('hex')));
const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe('generated test model', () => {
  it('is byte-identical on every generation', async () => {
    const a = await makeTestModel(join(work, 'a'));
    const b = await makeTestModel(join(work, 'b'));
    assert.deepEqual(await digest(a), await digest(b));
  });

  for (const dtype of ['fp32', 'q8'] as const) {
    it(`embeds through the production loader (${dtype}): normalised, batched, lexical`, async () => {
      const dir = await makeTestModel(join(work, dtype));
      const config = loadConfig(embedConfig, { EMBED_MODEL: dir, EMBED_ALLOW_REMOTE: 'false', EMBED_DTYPE: dtype, EMBED_BATCH_SIZE: '2' });
      const embedder = createEmbedder(config, createLogger({}, () => {}));
      assert.equal(embedder.model, dtype);
      const texts = ['the cat eats fish', 'cats eat fish', 'milvus is a vector database', 'the dog sleeps'];
      const vectors = await embedder.embed(texts);
      assert.equal(vectors.length, 4);
      for (const v of vectors) {
        assert.equal(v.length, 64);
        assert.ok(Math.abs(cosine(v, v) - 1) < 1e-4);
      }
      const [single] = await embedder.embed([texts[2]!]);
      assert.ok(cosine(single!, vectors[2]!) > 0.999, 'batching changes nothing');
      assert.ok(cosine(vectors[0]!, vectors[1]!) > cosine(vectors[0]!, vectors[2]!), 'shared words score higher');
    });
  }

  it('fails clearly, and retries, when the model folder is missing', async () => {
    const config = loadConfig(embedConfig, { EMBED_MODEL: join(work, 'missing'), EMBED_ALLOW_REMOTE: 'false' });
    const embedder = createEmbedder(config, createLogger({}, () => {}));
    await assert.rejects(embedder.embed(['x']), { code: 'model_unavailable', status: 503 });
    await assert.rejects(embedder.embed(['x']), { code: 'model_unavailable' });
  });
});
