// Drops every collection whose name starts with a prefix: how the benchmark,
// the evaluation and tests clean up the collections they made on a shared Milvus.
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';

export async function dropCollections(client: MilvusClient, prefix: string): Promise<void> {
  for (const { name } of (await client.listCollections()).data) if (name.startsWith(prefix)) await client.dropCollection({ collection_name: name });
}
