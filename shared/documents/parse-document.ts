// One entry point for every format, each parsed by its own module. Whatever a
// library throws on hostile input becomes a problem the caller can answer with
// (corrupt, or too complex when it ran out of stack or memory), never a crash.
import { ProblemError } from '../errors/problem-error.ts';
import type { DocumentFormat, ParsedDocument, ParseLimits } from './blocks.ts';
import { parseCsv } from './parse-csv.ts';
import { parseDocx } from './parse-docx.ts';
import { parseHtml } from './parse-html.ts';
import { parseJson } from './parse-json.ts';
import { parseMarkdown } from './parse-markdown.ts';
import { parsePdf } from './parse-pdf.ts';
import { parsePptx } from './parse-pptx.ts';
import { parseText } from './parse-text.ts';
import { parseXlsx } from './parse-xlsx.ts';

type Parser = (bytes: Uint8Array, limits: ParseLimits) => Promise<ParsedDocument>;

const PARSERS: Record<DocumentFormat, Parser> = {
  pdf: parsePdf,
  docx: parseDocx,
  pptx: parsePptx,
  xlsx: parseXlsx,
  csv: parseCsv,
  html: parseHtml,
  markdown: parseMarkdown,
  text: parseText,
  json: parseJson,
};

const EXHAUSTED = [
  'Maximum call stack size exceeded',
  'Array buffer allocation failed',
  'Invalid string length',
  'Invalid array length',
];

export async function parseDocument(
  bytes: Uint8Array,
  format: DocumentFormat,
  limits: ParseLimits,
): Promise<ParsedDocument> {
  try {
    return await PARSERS[format](bytes, limits);
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    if (error instanceof RangeError && EXHAUSTED.some((message) => error.message.includes(message))) {
      const detail = 'The document exhausted the parser (nesting or size)';
      throw new ProblemError('document_too_complex', detail, { cause: error });
    }
    throw new ProblemError('corrupt_document', `The ${format} document cannot be read`, { cause: error });
  }
}
