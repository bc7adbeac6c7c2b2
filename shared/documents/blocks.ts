// The structured form every parser produces and the chunker consumes: a flat
// sequence of blocks that keeps what citations need (headings, pages, sheets)
// and what retrieval needs (table rows with their header).
export type BlockKind = 'heading' | 'paragraph' | 'list' | 'table' | 'code';

export interface Block {
  kind: BlockKind;
  /** heading/paragraph/code: the text; list: one item per line prefixed "- "; table: '' (use rows) */
  text: string;
  /** heading level 1–6 */
  level?: number;
  /** table rows of cell texts */
  rows?: string[][];
  /** table: leading header rows (0 when none) */
  headerRows?: number;
  /** 1-based PDF page or PPTX slide number */
  page?: number;
  /** XLSX/CSV sheet name */
  sheet?: string;
}

/** Something the reader should know that did not stop the parse (e.g. code 'pages_without_text'). */
export interface DocumentWarning {
  code: string;
  detail: string;
}

export interface ParsedDocument {
  blocks: Block[];
  warnings: DocumentWarning[];
}

export interface ParseLimits {
  maxPages: number;
  maxSheets: number;
  maxCells: number;
  maxExpandedBytes: number;
}

export const DOCUMENT_FORMATS = ['pdf', 'docx', 'pptx', 'xlsx', 'csv', 'html', 'markdown', 'text', 'json'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
