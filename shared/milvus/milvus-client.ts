import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import type { MilvusConfig } from '../config/schemas.ts';
import { ProblemError } from '../errors/problem-error.ts';

export type MilvusConnection = () => Promise<MilvusClient>;

/**
 * One client per process, connected on first use. The SDK remembers a failed
 * first connect: every later call rethrows it, and nothing handles the rejection
 * (which ends a Node process). So a client whose connect failed is dropped and
 * the next call builds a new one: a function started while Milvus is down
 * answers 503 until Milvus is back, then works.
 */
export function createMilvusConnection(config: MilvusConfig): MilvusConnection {
  let connected: Promise<MilvusClient> | undefined;
  const connect = async (): Promise<MilvusClient> => {
    const client = new MilvusClient({
      address: config.MILVUS_ADDRESS,
      ...(config.MILVUS_TOKEN ? { token: config.MILVUS_TOKEN } : {}),
      timeout: config.MILVUS_TIMEOUT_MS,
      logLevel: 'error',
      telemetry: { enabled: false },
    } as ConstructorParameters<typeof MilvusClient>[0]);
    try {
      await client.connectPromise;
      return client;
    } catch (error) {
      connected = undefined;
      client.closeConnection().catch(() => undefined);
      throw new ProblemError('milvus_unavailable', `Cannot connect to Milvus: ${String((error as Error).message).slice(0, 200)}`, { cause: error });
    }
  };
  return () => (connected ??= connect());
}
