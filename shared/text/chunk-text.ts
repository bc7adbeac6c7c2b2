// Recursive, token-aware chunking with overlap: split on the coarsest separator
// (paragraphs, lines, sentences, words, characters) that brings pieces under the
// budget, then pack neighbouring pieces into chunks that share an overlap.
import { estimateTokens } from './token-estimate.ts';

export interface ChunkOptions {
  maxTokens: number;
  overlapTokens: number;
}

const SEPARATORS = ['\n\n', '\n', '. ', '? ', '! ', '; ', ', ', ' '] as const;

/** Splits text into pieces of at most maxTokens, keeping each separator with the piece before it. */
function split(text: string, maxTokens: number, level = 0): string[] {
  if (estimateTokens(text) <= maxTokens) return [text];
  const separator = SEPARATORS[level];
  if (separator === undefined) {
    const size = maxTokens; // one character is at most one token
    const out: string[] = [];
    for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
    return out;
  }
  const parts = text.split(separator);
  if (parts.length === 1) return split(text, maxTokens, level + 1);
  return parts
    .map((part, i) => (i < parts.length - 1 ? part + separator : part))
    .flatMap((part) => split(part, maxTokens, level + 1));
}

/** The trailing pieces of a chunk that fit in the overlap budget. */
function tail(pieces: string[], overlapTokens: number): string[] {
  const kept: string[] = [];
  let tokens = 0;
  for (let i = pieces.length - 1; i >= 0; i--) {
    const cost = estimateTokens(pieces[i]!);
    if (tokens + cost > overlapTokens) break;
    kept.unshift(pieces[i]!);
    tokens += cost;
  }
  return kept;
}

export function chunkText(text: string, { maxTokens, overlapTokens }: ChunkOptions): string[] {
  const pieces = split(text.replace(/\r\n?/g, '\n'), maxTokens);
  const chunks: string[] = [];
  let current: string[] = [];
  let tokens = 0;
  const flush = () => {
    const chunk = current.join('').trim();
    if (chunk) chunks.push(chunk);
  };
  for (const piece of pieces) {
    const cost = estimateTokens(piece);
    if (tokens + cost > maxTokens && current.length > 0) {
      flush();
      current = tail(current, Math.min(overlapTokens, maxTokens - cost));
      tokens = current.reduce((sum, p) => sum + estimateTokens(p), 0);
    }
    current.push(piece);
    tokens += cost;
  }
  flush();
  return chunks;
}
