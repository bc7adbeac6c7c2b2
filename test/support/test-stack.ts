// The local stack as `npm start` runs it (one process per function, real Milvus,
// the generated model files), with the OpenAI stub as its LLM and an isolated
// collection prefix that is dropped afterwards.
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrokerRecord } from '../../scripts/local-broker/broker.ts';
import { startLocalStack, type LocalStack, type StackOptions } from '../../scripts/local-stack.ts';
import { TEST_MODEL_DIR } from '../../scripts/models/make-test-model.ts';
import { startOpenAIStub, type OpenAIStub } from './openai-stub.ts';

export const MILVUS_ADDRESS = process.env.MILVUS_ADDRESS ?? '127.0.0.1:19530';

export interface TestStack extends LocalStack {
  llm: OpenAIStub;
  prefix: string;
  logs: string[];
  /** The local bucket folder. */
  watchDir: string;
  deadLetterFile: string;
  events: BrokerRecord[];
  milvus: MilvusClient;
  /** Stops the stack and starts it again over the same bucket, collections and state (events and logs start empty). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestStack(basePort: number, env: Record<string, string> = {}): Promise<TestStack> {
  const prefix = `test_${process.pid}_${Date.now() % 1_000_000}`;
  const llm = await startOpenAIStub({ apiKey: 'sk-test-key', model: 'stub-llm' });
  const logs: string[] = [];
  const events: BrokerRecord[] = [];
  const work = await mkdtemp(join(tmpdir(), 'ragnative-stack-'));
  const watchDir = join(work, 'bucket');
  const deadLetterFile = join(work, 'dead-letters.jsonl');
  const options: StackOptions = {
    basePort,
    watchDir,
    bucketManifest: join(work, 'bucket-manifest.json'),
    deadLetterFile,
    brokerPolicy: { retry: 2, backoffDelayMs: 50 },
    onBrokerEvent: (record) => events.push(record),
    env: {
      EMBED_MODEL: resolve(TEST_MODEL_DIR),
      EMBED_ALLOW_REMOTE: 'false',
      RAG_AUTH: 'disabled', // the auth suite turns it on
      MILVUS_ADDRESS,
      MILVUS_COLLECTION_PREFIX: prefix,
      OPENAI_API_KEY: 'sk-test-key',
      OPENAI_BASE_URL: llm.baseUrl,
      OPENAI_MODEL: 'stub-llm',
      OPENAI_TIMEOUT_MS: '1500',
      PROMPT_MIN_SCORE: '0.2',
      CHUNK_TOKENS: '60',
      CHUNK_OVERLAP_TOKENS: '10',
      CHUNKS_PER_EVENT: '4',
      ...env,
    },
    onLine: (fn, line) => logs.push(`[${fn}] ${line}`),
  };
  let stack = await startLocalStack(options);
  const milvus = new MilvusClient({ address: env.MILVUS_ADDRESS ?? MILVUS_ADDRESS, telemetry: { enabled: false }, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
  const testStack: TestStack = {
    ...stack,
    llm,
    prefix,
    logs,
    watchDir,
    deadLetterFile,
    events,
    milvus,
    async restart() {
      await stack.stop();
      events.length = 0;
      logs.length = 0;
      stack = await startLocalStack(options);
      Object.assign(testStack, stack);
    },
    async close() {
      await stack.stop();
      await llm.close();
      const listed = await milvus.listCollections().catch(() => ({ data: [] as { name: string }[] }));
      for (const { name } of listed.data) if (name.startsWith(prefix)) await milvus.dropCollection({ collection_name: name });
      await milvus.closeConnection();
      await rm(work, { recursive: true, force: true });
    },
  };
  return testStack;
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}
