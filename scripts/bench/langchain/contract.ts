// What the benchmark hands the LangChain.js pipeline process and what it prints back.
import type { CorpusDocument } from '../corpus.ts';

export interface LangChainJob {
  milvusAddress: string;
  collection: string;
  modelDir: string;
  llm: { baseUrl: string; apiKey: string; model: string };
  documents: CorpusDocument[];
  questions: string[];
  queries: number;
  topK: number;
  chunkChars: number;
  overlapChars: number;
  /** Which ingestion modes to run, in order. */
  modes: IngestMode[];
}

export type IngestMode = 'per-document' | 'bulk';

export interface ModeResult {
  mode: IngestMode;
  documents: number;
  chunks: number;
  ingestSeconds: number;
  queryLatenciesMs: number[];
}

export interface LangChainResult {
  modes: ModeResult[];
  peakRssBytes: number;
}
