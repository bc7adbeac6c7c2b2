// What every ingestion path does to a document's text before it is embedded:
// redact personal data, chunk, and name the version by the redacted content.
import { createHash } from 'node:crypto';
import type { LimitsConfig } from '../config/schemas.ts';
import { ProblemError } from '../errors/problem-error.ts';
import { chunkText } from './chunk-text.ts';
import { redactPii, type PiiCounts } from './redact-pii.ts';

export interface PreparedDocument {
  version: string;
  chunks: { index: number; text: string }[];
  pii: PiiCounts;
}

export function prepareDocument(text: string, limits: LimitsConfig): PreparedDocument {
  const redacted = redactPii(text);
  const chunks = chunkText(redacted.text, { maxTokens: limits.CHUNK_TOKENS, overlapTokens: limits.CHUNK_OVERLAP_TOKENS });
  if (chunks.length === 0) throw new ProblemError('invalid_request', 'The document holds no text');
  return {
    version: createHash('sha256').update(redacted.text).digest('hex').slice(0, 16),
    chunks: chunks.map((chunk, index) => ({ index, text: chunk })),
    pii: redacted.counts,
  };
}
