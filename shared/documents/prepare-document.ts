// What every ingestion path does to a document before it is embedded: find its
// format, parse it into blocks, redact personal data in every block (before
// chunking, so no value is split across two chunks), chunk by structure, and
// name the version by the redacted result. It runs inside a preparation worker
// process (see document-preparer.ts).
import { createHash } from 'node:crypto';
import type { LimitsConfig } from '../config/schemas.ts';
import { ProblemError } from '../errors/problem-error.ts';
import { addPiiCounts, redactPii, type PiiCounts } from '../text/redact-pii.ts';
import type { Block } from './blocks.ts';
import { chunkBlocks } from './chunk-blocks.ts';
import { detectFormat, mediaTypeOf } from './detect-format.ts';
import { parseDocument } from './parse-document.ts';
import type { DocumentInput, PreparedDocument } from './prepared-document.ts';

const SUPPORTED = 'PDF, DOCX, PPTX, XLSX, CSV, HTML, Markdown, plain text and JSON';

function redactBlocks(blocks: Block[]): { blocks: Block[]; pii: PiiCounts } {
  const pii: PiiCounts = {};
  const redact = (text: string) => {
    const result = redactPii(text);
    addPiiCounts(pii, result.counts);
    return result.text;
  };
  const redacted = blocks.map((block) => ({
    ...block,
    text: redact(block.text),
    ...(block.rows ? { rows: block.rows.map((row) => row.map(redact)) } : {}),
    ...(block.sheet ? { sheet: redact(block.sheet) } : {}),
  }));
  return { blocks: redacted, pii };
}

export async function prepareDocument(input: DocumentInput, limits: LimitsConfig): Promise<PreparedDocument> {
  const format = detectFormat(input.contentType, input.name, input.bytes);
  if (!format) throw new ProblemError('unsupported_media_type', `The document is not one of ${SUPPORTED}`);
  const parsed = await parseDocument(input.bytes, format, {
    maxPages: limits.MAX_DOCUMENT_PAGES,
    maxSheets: limits.MAX_DOCUMENT_SHEETS,
    maxCells: limits.MAX_SHEET_CELLS,
    maxExpandedBytes: limits.MAX_EXPANDED_BYTES,
  });
  const { blocks, pii } = redactBlocks(parsed.blocks);
  const chunks = chunkBlocks(blocks, { maxTokens: limits.CHUNK_TOKENS, overlapTokens: limits.CHUNK_OVERLAP_TOKENS });
  if (chunks.length === 0) throw new ProblemError('empty_document', `The ${format} document holds no text`);
  const version = createHash('sha256').update(JSON.stringify(chunks)).digest('hex').slice(0, 16);
  return { format, contentType: mediaTypeOf(format), version, chunks, pii, warnings: parsed.warnings };
}
