// Build-time only (Dockerfile.embed): downloads a hub model's files into
// <dir>/<model id> through transformers.js, so the image can load it offline
// from that folder (EMBED_MODEL=<dir>/<model id>, EMBED_ALLOW_REMOTE=false).
// Usage: tsx scripts/models/fetch-hub-model.ts <hub id> <dir>
import { env, pipeline } from '@huggingface/transformers';

const [id, dir] = process.argv.slice(2);
if (!id || !dir) {
  console.error('usage: fetch-hub-model.ts <hub id> <dir>');
  process.exit(2);
}
env.cacheDir = dir;
const extractor = await pipeline('feature-extraction', id, { dtype: 'fp32' });
const output = await extractor(['a check that the model runs'], { pooling: 'mean', normalize: true });
console.log(JSON.stringify({ msg: 'model.fetched', id, dir, dim: output.dims.at(-1) }));
