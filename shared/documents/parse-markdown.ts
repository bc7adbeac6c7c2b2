// Markdown read line by line into blocks: ATX and setext headings, paragraphs,
// lists (nesting from indentation), GFM tables, fenced and indented code; block
// quotes read as their content. Not `marked`: its lexer took 3.6 s on 80 KB of
// "_a" and overflowed the stack on nested "> " or "1. " (measured, v18).
import type { Block, ParsedDocument } from './blocks.ts';
import { decodeUtf8 } from './decode-text.ts';
import { stripInline } from './markdown-inline.ts';
import {
  atxHeading, closesFence, fenceOpening, indentOf, isDelimiterRow, isThematicBreak, listMarker, setextLevel,
  stripQuoteMarkers, tableCells, type ListMarker,
} from './markdown-lines.ts';

const MAX_LIST_INDENT = 8;

export function markdownToBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let code: string[] = [];
  let fence: { marker: string; length: number; quoted: boolean; lines: string[] } | undefined;
  let list: { items: { depth: number; text: string }[]; indents: number[]; blank: boolean } | undefined;
  let table: string[][] | undefined;
  let skipHtml: string | undefined;

  const endParagraph = () => {
    const text = stripInline(paragraph.join(' ')).trim();
    if (text) blocks.push({ kind: 'paragraph', text });
    paragraph = [];
  };
  const endCode = () => {
    if (code.some((line) => line.trim())) blocks.push({ kind: 'code', text: code.join('\n').trimEnd() });
    code = [];
  };
  const endList = () => {
    if (!list) return;
    const indent = (depth: number) => '  '.repeat(Math.min(depth, MAX_LIST_INDENT));
    const lines = list.items.map((item) => `${indent(item.depth)}- ${stripInline(item.text).trim()}`);
    if (lines.length > 0) blocks.push({ kind: 'list', text: lines.join('\n') });
    list = undefined;
  };
  const endTable = () => {
    if (table && table.length > 0) {
      blocks.push({ kind: 'table', text: '', rows: table, headerRows: table.length > 1 ? 1 : 0 });
    }
    table = undefined;
  };
  const endAll = () => {
    endParagraph();
    endCode();
    endList();
    endTable();
  };
  const addItem = (marker: ListMarker) => {
    endParagraph();
    endCode();
    endTable();
    list ??= { items: [], indents: [], blank: false };
    while (list.indents.length > 0 && list.indents.at(-1)! > marker.indent) list.indents.pop();
    if (list.indents.at(-1) !== marker.indent) list.indents.push(marker.indent);
    list.items.push({ depth: list.indents.length - 1, text: marker.text });
    list.blank = false;
  };

  const lines = markdown.split('\n');
  let start = 0;
  // YAML front matter is metadata, not text.
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, i) => i > 0 && (line.trim() === '---' || line.trim() === '...'));
    if (end > 0) start = end + 1;
  }
  for (let n = start; n < lines.length; n++) {
    const raw = lines[n]!.endsWith('\r') ? lines[n]!.slice(0, -1) : lines[n]!;
    if (fence) {
      const content = fence.quoted ? stripQuoteMarkers(raw).text : raw;
      if (closesFence(content, fence)) {
        if (fence.lines.some((line) => line.trim())) blocks.push({ kind: 'code', text: fence.lines.join('\n') });
        fence = undefined;
      } else fence.lines.push(content);
      continue;
    }
    const { text: line, quoted } = stripQuoteMarkers(raw);
    const trimmed = line.trim();
    if (skipHtml !== undefined) {
      if (trimmed.toLowerCase().includes(skipHtml)) skipHtml = undefined;
      continue;
    }
    if (trimmed === '') {
      endParagraph();
      endTable();
      if (list) list.blank = true;
      else if (code.length > 0) code.push('');
      continue;
    }
    const lower = trimmed.slice(0, 7).toLowerCase();
    const opening = fenceOpening(line);
    const heading = atxHeading(line);
    const marker = listMarker(line);
    if (code.length > 0 && indentOf(line) >= 4 && !list) {
      code.push(line.slice(4));
    } else if (lower.startsWith('<script') || lower.startsWith('<style')) {
      endAll();
      const close = lower.startsWith('<script') ? '</script' : '</style';
      if (!trimmed.toLowerCase().includes(close)) skipHtml = close;
    } else if (opening) {
      endAll();
      fence = { ...opening, quoted, lines: [] };
    } else if (heading) {
      endAll();
      const text = stripInline(heading.text).trim();
      if (text) blocks.push({ kind: 'heading', level: heading.level, text });
    } else if (paragraph.length > 0 && !list && setextLevel(line) !== undefined) {
      const text = stripInline(paragraph.join(' ')).trim();
      paragraph = [];
      if (text) blocks.push({ kind: 'heading', level: setextLevel(line)!, text });
    } else if (isThematicBreak(line)) {
      endAll();
    } else if (table) {
      if (trimmed.includes('|')) table.push(tableCells(trimmed).map(stripInline));
      else {
        endTable();
        paragraph.push(trimmed);
      }
    } else if (paragraph.length > 0 && isDelimiterRow(trimmed) && paragraph.at(-1)!.includes('|')) {
      const header = paragraph.pop()!;
      endParagraph();
      table = [tableCells(header).map(stripInline)];
    } else if (marker && (marker.text !== '' || list)) {
      addItem(marker);
    } else if (list && (!list.blank || indentOf(line) >= 2)) {
      list.items.at(-1)!.text += ` ${trimmed}`;
      list.blank = false;
    } else if (indentOf(line) >= 4 && paragraph.length === 0) {
      endAll();
      code.push(line.slice(4));
    } else if (paragraph.length === 0 && trimmed.startsWith('[') && trimmed.includes(']:')) {
      // A link reference definition: an address, not text.
    } else {
      endList();
      endCode();
      paragraph.push(trimmed);
    }
  }
  if (fence && fence.lines.length > 0) blocks.push({ kind: 'code', text: fence.lines.join('\n') });
  endAll();
  return blocks;
}

export async function parseMarkdown(bytes: Uint8Array): Promise<ParsedDocument> {
  return { blocks: markdownToBlocks(decodeUtf8(bytes)), warnings: [] };
}
