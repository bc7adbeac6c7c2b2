// PDF text layer through pdf.js (legacy build, which supports Node). On Node,
// pdf.js runs its "fake worker" in this thread (it imports pdf.worker.mjs from
// beside pdf.mjs; no workerSrc setting is needed), so time and memory limits
// belong to the preparation worker that calls it. Pages are read one at a time and released.
import { Buffer } from 'node:buffer';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ProblemError } from '../errors/problem-error.ts';
import type { Block, DocumentWarning, ParsedDocument, ParseLimits } from './blocks.ts';
import { bodyFontSize, fontSizeLevels, fontSizePlan, linesToBlocks, outlinePlan } from './pdf-blocks.ts';
import { pageLines, type PdfLine } from './pdf-lines.ts';
import { outlineHeadings, type OutlineHeading } from './pdf-outline.ts';

const OPTIONS = {
  isEvalSupported: false,
  disableFontFace: true,
  useSystemFonts: false,
  isOffscreenCanvasSupported: false,
  verbosity: 0,
} as const;

/** A complete PDF ends with %%EOF (ISO 32000-1 §7.5.5); readers tolerate 1024 bytes after it, as Acrobat does. */
function checkComplete(bytes: Uint8Array): void {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(-1024);
  if (!tail.includes('%%EOF')) {
    throw new ProblemError('corrupt_document', 'The PDF is truncated (no %%EOF marker at its end)');
  }
}

/** [2, 3, 4, 9] → "2-4, 9": a scan of 400 pages stays a short warning. */
export function pageRanges(pages: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < pages.length; i++) {
    const start = pages[i]!;
    while (i + 1 < pages.length && pages[i + 1] === pages[i]! + 1) i++;
    ranges.push(start === pages[i] ? String(start) : `${start}-${pages[i]}`);
  }
  return ranges.join(', ');
}

const pagesPhrase = (pages: readonly number[]) =>
  pages.length === 1 ? `Page ${pages[0]} has` : `Pages ${pageRanges(pages)} have`;

async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  // pdf.js transfers (detaches) the buffer it is given, and refuses a Node Buffer
  // (which IPC delivers): hand it a copy as a plain Uint8Array.
  const task = getDocument({ data: new Uint8Array(bytes), ...OPTIONS });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy();
    if (error instanceof Error && error.name === 'PasswordException') {
      throw new ProblemError('encrypted_document', 'The PDF needs a password to open', { cause: error });
    }
    throw new ProblemError('corrupt_document', 'The PDF cannot be read', { cause: error });
  }
}

async function readPages(doc: PDFDocumentProxy): Promise<{ pages: PdfLine[][]; unreadable: number[] }> {
  const pages: PdfLine[][] = [];
  const unreadable: number[] = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number).catch(() => undefined);
    try {
      const content = await page?.getTextContent();
      if (!content) unreadable.push(number);
      pages.push(content ? pageLines(content.items) : []);
    } catch {
      unreadable.push(number);
      pages.push([]);
    } finally {
      page?.cleanup();
    }
  }
  return { pages, unreadable };
}

function toBlocks(pages: PdfLine[][], outline: Map<number, OutlineHeading[]>): Block[] {
  const levels = outline.size > 0 ? new Map<number, number>() : fontSizeLevels(pages, bodyFontSize(pages));
  return pages.flatMap((lines, i) => {
    const page = i + 1;
    if (outline.size === 0) return linesToBlocks(lines, fontSizePlan(lines, levels), page);
    const { plan, unmatched } = outlinePlan(lines, outline.get(page) ?? []);
    // A bookmark whose title is not printed on its page still starts a section there.
    const top = unmatched.map(({ title, level }): Block => ({ kind: 'heading', level, text: title, page }));
    return [...top, ...linesToBlocks(lines, plan, page)];
  });
}

export async function parsePdf(bytes: Uint8Array, limits: ParseLimits): Promise<ParsedDocument> {
  checkComplete(bytes);
  const doc = await openPdf(bytes);
  try {
    if (doc.numPages > limits.maxPages) {
      const detail = `The PDF has ${doc.numPages} pages, over the limit of ${limits.maxPages}`;
      throw new ProblemError('document_too_complex', detail);
    }
    const { pages, unreadable } = await readPages(doc);
    const failed = new Set(unreadable);
    const empty = pages.flatMap((lines, i) => (lines.length === 0 && !failed.has(i + 1) ? [i + 1] : []));
    if (empty.length + unreadable.length === pages.length) {
      if (unreadable.length > 0) throw new ProblemError('corrupt_document', 'No page of the PDF could be read');
      throw new ProblemError('no_text_layer', 'No page of the PDF has text: it looks like a scan (OCR it first)');
    }
    const warnings: DocumentWarning[] = [];
    if (empty.length > 0) {
      warnings.push({ code: 'pages_without_text', detail: `${pagesPhrase(empty)} no text layer (scanned?)` });
    }
    if (unreadable.length > 0) {
      warnings.push({ code: 'pages_unreadable', detail: `${pagesPhrase(unreadable)} unreadable content` });
    }
    return { blocks: toBlocks(pages, await outlineHeadings(doc)), warnings };
  } finally {
    await doc.destroy();
  }
}
