// The PDF outline (bookmarks, ISO 32000-1 §12.3.3) as headings per page: the
// most faithful section structure a PDF has, when its producer wrote one (Word
// and LibreOffice write one from heading styles). Walked without recursion.
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface OutlineHeading {
  title: string;
  /** 1 for top-level bookmarks, capped at 6 like HTML headings. */
  level: number;
}

type PageRef = Parameters<PDFDocumentProxy['getPageIndex']>[0];
type OutlineNode = Awaited<ReturnType<PDFDocumentProxy['getOutline']>>[number];

/** Enough for any real table of contents; a hostile outline is cut off here. */
const MAX_ENTRIES = 5000;

async function pageOf(doc: PDFDocumentProxy, dest: OutlineNode['dest']): Promise<number | undefined> {
  try {
    const explicit = typeof dest === 'string' ? await doc.getDestination(dest) : dest;
    const target: unknown = explicit?.[0];
    if (typeof target === 'number') return target + 1;
    if (target && typeof target === 'object') return (await doc.getPageIndex(target as PageRef)) + 1;
  } catch {
    // A dangling destination only loses that heading.
  }
  return undefined;
}

/** Outline headings grouped by 1-based page, in outline order. */
export async function outlineHeadings(doc: PDFDocumentProxy): Promise<Map<number, OutlineHeading[]>> {
  const byPage = new Map<number, OutlineHeading[]>();
  const outline = await doc.getOutline().catch(() => null);
  if (!outline) return byPage;
  const stack: { node: OutlineNode; level: number }[] = outline.map((node) => ({ node, level: 1 })).reverse();
  for (let seen = 0; stack.length > 0 && seen < MAX_ENTRIES; seen++) {
    const { node, level } = stack.pop()!;
    const title = node.title.replace(/\s+/g, ' ').trim();
    const page = title ? await pageOf(doc, node.dest) : undefined;
    if (page !== undefined) {
      const list = byPage.get(page) ?? [];
      list.push({ title, level: Math.min(level, 6) });
      byPage.set(page, list);
    }
    for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i]!, level: level + 1 });
  }
  return byPage;
}
