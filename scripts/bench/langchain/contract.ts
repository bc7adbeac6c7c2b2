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
  /** The local Milvus server's pid, so its CPU time during ingestion is reported (absent: not measured). */
  milvusPid?: number;
}

export type IngestMode = 'per-document' | 'bulk';

export interface ModeResult {
  mode: IngestMode;
  documents: number;
  chunks: number;
  ingestSeconds: number;
  /** CPU seconds during ingestion: this process, and the Milvus server where its pid was given. */
  ingestCpuSeconds: { pipeline: number; milvus?: number };
  queryLatenciesMs: number[];
}

export interface LangChainResult {
  modes: ModeResult[];
  peakRssBytes: number;
}
