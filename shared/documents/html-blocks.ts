// Builds blocks from HTML parser events: headings, paragraphs, lists (nested
// items indented), tables and pre as code. Text goes to the innermost thing
// collecting it (table cell, list item, heading, paragraph); block-level tags
// end a paragraph. Counters and flat buffers only: no recursion at any depth.
import type { Block } from './blocks.ts';
import { tableCollector, type TableCollector } from './html-table.ts';
import { collapseWhitespace, tidyLines } from './whitespace.ts';

export interface HtmlBlockBuilder {
  open(name: string): void;
  close(name: string): void;
  text(text: string): void;
  finish(): Block[];
}

/** Their content is not document text (site navigation included: it repeats on every page). */
const SKIPPED = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'nav', 'svg', 'math', 'iframe', 'object', 'select',
]);
const PARAGRAPH_BREAKS = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'nav', 'blockquote', 'address', 'figure',
  'figcaption', 'dl', 'dt', 'dd', 'form', 'fieldset', 'legend', 'details', 'summary', 'hr', 'center', 'body', 'html',
]);
const HEADINGS = new Map([['h1', 1], ['h2', 2], ['h3', 3], ['h4', 4], ['h5', 5], ['h6', 6]]);
const MAX_LIST_INDENT = 8;

export function htmlBlockBuilder(): HtmlBlockBuilder {
  const blocks: Block[] = [];
  let skip = 0;
  let pre = 0;
  let paragraph = '';
  let heading: { level: number; text: string } | undefined;
  let listDepth = 0;
  let items: { depth: number; text: string }[] = [];
  let item: string | undefined;
  let tableDepth = 0;
  let table: TableCollector | undefined;

  const flushParagraph = () => {
    const text = pre > 0 ? paragraph.trimEnd() : tidyLines(paragraph);
    if (!text.trim()) {
      paragraph = '';
      return;
    }
    // A newline right after <pre> is not content (HTML §13.2.6.4.7).
    if (pre > 0) blocks.push({ kind: 'code', text: text.startsWith('\n') ? text.slice(1) : text });
    else blocks.push({ kind: 'paragraph', text });
    paragraph = '';
  };
  const flushItem = () => {
    const text = item === undefined ? '' : collapseWhitespace(item).trim();
    if (text) items.push({ depth: listDepth, text });
    item = undefined;
  };
  const endList = () => {
    const lines = items.map((i) => `${'  '.repeat(Math.min(i.depth - 1, MAX_LIST_INDENT))}- ${i.text}`);
    if (lines.length > 0) blocks.push({ kind: 'list', text: lines.join('\n') });
    items = [];
  };
  const add = (text: string) => {
    if (table) table.text(text);
    else if (item !== undefined) item += text;
    else if (heading) heading.text += text;
    else paragraph += text;
  };
  const openOutsideTable = (name: string) => {
    const level = HEADINGS.get(name);
    if (name === 'br') add('\n');
    else if (name === 'ul' || name === 'ol') {
      if (listDepth === 0) flushParagraph();
      else flushItem();
      listDepth++;
    } else if (name === 'li' && listDepth > 0) {
      flushItem();
      item = '';
    } else if (name === 'pre') {
      flushParagraph();
      pre++;
    } else if (level !== undefined && item === undefined) {
      flushParagraph();
      heading = { level, text: '' };
    } else if (PARAGRAPH_BREAKS.has(name)) {
      if (item !== undefined) item += ' ';
      else if (pre === 0) flushParagraph();
    }
  };
  const closeOutsideTable = (name: string) => {
    if (name === 'ul' || name === 'ol') {
      flushItem();
      listDepth = Math.max(0, listDepth - 1);
      if (listDepth === 0) endList();
    } else if (name === 'li') flushItem();
    else if (name === 'pre' && pre > 0) {
      flushParagraph();
      pre--;
    } else if (HEADINGS.has(name) && heading) {
      const text = collapseWhitespace(heading.text).trim();
      if (text) blocks.push({ kind: 'heading', level: heading.level, text });
      heading = undefined;
    } else if (PARAGRAPH_BREAKS.has(name) && item === undefined && pre === 0) flushParagraph();
  };

  return {
    open(name) {
      if (SKIPPED.has(name)) skip++;
      if (skip > 0) return;
      if (name === 'table') {
        // A table nested in a cell reads as more text of that cell.
        if (tableDepth++ > 0) table?.text(' ');
        else {
          flushParagraph();
          table = tableCollector();
        }
      } else if (table) table.open(tableDepth > 1 ? 'br' : name);
      else openOutsideTable(name);
    },
    close(name) {
      if (SKIPPED.has(name)) skip = Math.max(0, skip - 1);
      else if (skip > 0) return;
      else if (name === 'table' && tableDepth > 0) {
        if (--tableDepth === 0 && table) {
          blocks.push(...table.blocks());
          table = undefined;
        }
      } else if (table) {
        if (tableDepth === 1) table.close(name);
      } else closeOutsideTable(name);
    },
    text(text) {
      if (skip === 0) add(pre > 0 ? text : collapseWhitespace(text));
    },
    finish() {
      if (table) blocks.push(...table.blocks());
      flushItem();
      endList();
      flushParagraph();
      return blocks;
    },
  };
}
