// Which parser a document needs: its declared media type first (parameters
// stripped), then its file extension, then its leading bytes. A declared type
// that the bytes contradict (says PDF, is a zip) is a corrupt upload, not a
// guess to correct; unknown stays undefined (the caller answers 415).
import { Buffer } from 'node:buffer';
import { ProblemError } from '../errors/problem-error.ts';
import type { DocumentFormat } from './blocks.ts';
import { isCompoundFile } from './office-package.ts';
import { isZip, readZipDirectory } from './zip-directory.ts';

// Maps, not object literals: a hostile "constructor" or "__proto__" must not find Object.prototype.
const BY_TYPE = new Map<string, DocumentFormat>([
  ['application/pdf', 'pdf'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['text/csv', 'csv'],
  ['text/html', 'html'],
  ['application/xhtml+xml', 'html'],
  ['text/markdown', 'markdown'],
  ['text/x-markdown', 'markdown'],
  ['text/plain', 'text'],
  ['application/json', 'json'],
]);

const BY_EXTENSION = new Map<string, DocumentFormat>([
  ['pdf', 'pdf'], ['docx', 'docx'], ['pptx', 'pptx'], ['xlsx', 'xlsx'], ['csv', 'csv'], ['html', 'html'], ['htm', 'html'],
  ['xhtml', 'html'], ['md', 'markdown'], ['markdown', 'markdown'], ['txt', 'text'], ['text', 'text'], ['json', 'json'],
]);

/** What the bytes themselves say: a format, or only the container ('zip', 'ole'). */
type Sniffed = DocumentFormat | 'zip' | 'ole' | undefined;

const BINARY = new Set<Sniffed>(['pdf', 'docx', 'pptx', 'xlsx', 'zip', 'ole']);
const OFFICE = new Set<DocumentFormat>(['docx', 'pptx', 'xlsx']);
const OFFICE_FOLDERS: [string, DocumentFormat][] = [['word/', 'docx'], ['ppt/', 'pptx'], ['xl/', 'xlsx']];
/** PDF readers accept the header anywhere in the first 1024 bytes. */
const PDF_HEADER_WINDOW = 1024;

function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type || undefined;
}

function byType(type: string | undefined): DocumentFormat | undefined {
  if (type === undefined || type === 'application/octet-stream') return undefined;
  return BY_TYPE.get(type) ?? (type.startsWith('application/') && type.endsWith('+json') ? 'json' : undefined);
}

/** A format's canonical media type: the first BY_TYPE entry that names it. */
export function mediaTypeOf(format: DocumentFormat): string {
  for (const [type, named] of BY_TYPE) if (named === format) return type;
  throw new Error(`no media type for ${format}`);
}

/** The format a file name's extension names, if any. */
export function byExtension(name: string): DocumentFormat | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION.get(base.slice(dot + 1).toLowerCase());
}

function sniff(bytes: Uint8Array): Sniffed {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, PDF_HEADER_WINDOW));
  if (head.includes('%PDF-')) return 'pdf';
  if (isCompoundFile(bytes)) return 'ole';
  if (!isZip(bytes)) return undefined;
  try {
    const names = readZipDirectory(bytes).map((entry) => entry.name);
    for (const [folder, format] of OFFICE_FOLDERS) if (names.some((name) => name.startsWith(folder))) return format;
  } catch {
    // A damaged zip is still a zip; its parser reports the damage.
  }
  return 'zip';
}

function contradicts(claimed: DocumentFormat, sniffed: Sniffed): boolean {
  if (sniffed === undefined || sniffed === claimed) return false;
  // An Office name on an unreadable zip or an OLE file (encrypted OOXML) is for the parser to judge.
  if (OFFICE.has(claimed)) return sniffed !== 'zip' && sniffed !== 'ole';
  return BINARY.has(sniffed);
}

export function detectFormat(
  contentType: string | undefined,
  name: string,
  bytes: Uint8Array,
): DocumentFormat | undefined {
  const claimed = byType(mediaType(contentType)) ?? byExtension(name);
  const sniffed = sniff(bytes);
  if (claimed !== undefined && contradicts(claimed, sniffed)) {
    const actual = sniffed === 'zip' || sniffed === 'ole' ? `a ${sniffed} container` : sniffed;
    throw new ProblemError('corrupt_document', `The content is ${actual}, not ${claimed}`);
  }
  if (claimed !== undefined) return claimed;
  return sniffed === 'zip' || sniffed === 'ole' ? undefined : sniffed;
}
