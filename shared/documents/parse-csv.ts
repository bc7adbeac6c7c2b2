// CSV through csv-parse (RFC 4180 quoting, ragged rows tolerated). The
// delimiter is sniffed from the first record: comma, semicolon (spreadsheets
// in locales with a decimal comma), tab or pipe. One table; the first row is
// its header unless it holds numbers.
import { parse } from 'csv-parse/sync';
import { ProblemError } from '../errors/problem-error.ts';
import type { ParsedDocument, ParseLimits } from './blocks.ts';
import { decodeUtf8 } from './decode-text.ts';

const DELIMITERS = [',', ';', '\t', '|'] as const;
/** Enough of the first record to see its delimiters. */
const SNIFF_CHARS = 65_536;

export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length && i < SNIFF_CHARS; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: string = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

const looksNumeric = (cell: string) => cell !== '' && Number.isFinite(Number(cell.replace(',', '.')));

function headerRows(rows: string[][]): number {
  const first = rows[0];
  if (!first || rows.length < 2) return 0;
  const filled = first.filter((cell) => cell !== '');
  return filled.length * 2 >= first.length && !filled.some(looksNumeric) ? 1 : 0;
}

export async function parseCsv(bytes: Uint8Array, limits: ParseLimits): Promise<ParsedDocument> {
  const text = decodeUtf8(bytes);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: sniffDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      // Every record has at least one cell: past maxCells records the limit is exceeded anyway.
      to: limits.maxCells + 1,
    }) as string[][];
  } catch (error) {
    throw new ProblemError('corrupt_document', 'The CSV cannot be parsed', { cause: error });
  }
  let cells = 0;
  const rows: string[][] = [];
  for (const record of records) {
    cells += record.length;
    if (cells > limits.maxCells) {
      throw new ProblemError('document_too_complex', `The CSV has more than ${limits.maxCells} cells`);
    }
    const row = record.map((cell) => cell.trim());
    if (row.some((cell) => cell !== '')) rows.push(row);
  }
  if (rows.length === 0) return { blocks: [], warnings: [] };
  return { blocks: [{ kind: 'table', text: '', rows, headerRows: headerRows(rows) }], warnings: [] };
}
