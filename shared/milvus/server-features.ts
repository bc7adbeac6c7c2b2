// What the Milvus server can do, from the version it reports. Keyword (BM25)
// search needs BM25 functions and sparse vectors: Milvus 2.5 or later, or
// Milvus Lite 3.x. Older servers (Milvus 2.3) silently drop schema attributes
// they do not know, so this is decided before a collection is created.
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { ProblemError } from '../errors/problem-error.ts';
import { milvusCall } from './status.ts';

export interface ServerFeatures {
  version: string;
  keywordSearch: boolean;
}

export function supportsKeywordSearch(version: string): boolean {
  const lite = /^milvus_lite-(\d+)\./.exec(version);
  if (lite) return Number(lite[1]) >= 3;
  const release = /^v?(\d+)\.(\d+)/.exec(version);
  if (!release) return false;
  const [major, minor] = [Number(release[1]), Number(release[2])];
  return major > 2 || (major === 2 && minor >= 5);
}

export async function serverFeatures(client: MilvusClient): Promise<ServerFeatures> {
  const { version } = await milvusCall('get_version', () => client.getVersion());
  if (!version) throw new ProblemError('milvus_unavailable', 'Milvus did not report its version');
  return { version, keywordSearch: supportsKeywordSearch(version) };
}
