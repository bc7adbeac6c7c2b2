import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import type { MilvusConfig } from '../config/schemas.ts';

/** One client per process; the SDK connects lazily and reconnects by itself. */
export function createMilvusClient(config: MilvusConfig): MilvusClient {
  return new MilvusClient({
    address: config.MILVUS_ADDRESS,
    ...(config.MILVUS_TOKEN ? { token: config.MILVUS_TOKEN } : {}),
    timeout: config.MILVUS_TIMEOUT_MS,
    logLevel: 'error',
    telemetry: { enabled: false },
  } as ConstructorParameters<typeof MilvusClient>[0]);
}
