// One worksheet's cells as text (ECMA-376 Part 1 §18.3.1.4 c, §18.18.11 cell
// types). Formulas are not evaluated: the cached result in <v> is what Excel
// last showed. Cells are kept sparse and only the columns that hold a value are
// laid out, so a stray value in column XFD costs one cell, not 16,384.
import { attribute, scanXml } from './xml-scan.ts';
import { formatStoredNumber, type CellFormats } from './xlsx-values.ts';

export interface SheetContext {
  sharedStrings: readonly string[];
  formats: CellFormats;
  /** Called once per cell that holds a value; may throw to stop at a limit. */
  countCell(): void;
}

export interface SheetTable {
  rows: string[][];
  /** Whether the first row is all text (a header) — numbers or dates there mean data. */
  firstRowIsText: boolean;
}

interface Cell {
  row: number;
  col: number;
  text: string;
  isText: boolean;
}

/** "BC12" → 54 (0-based column); -1 when the reference has no letters. */
export function columnIndex(reference: string): number {
  let col = 0;
  let i = 0;
  for (; i < reference.length && i < 3; i++) {
    const code = reference.charCodeAt(i) | 0x20;
    if (code < 0x61 || code > 0x7a) break;
    col = col * 26 + (code - 0x60);
  }
  return i === 0 ? -1 : col - 1;
}

function cellText(
  type: string,
  value: string,
  inline: string,
  style: number,
  context: SheetContext,
): { text: string; isText: boolean } {
  switch (type) {
    case 's':
      return { text: context.sharedStrings[Number(value)] ?? '', isText: true };
    case 'inlineStr':
      return { text: inline, isText: true };
    case 'str':
      return { text: value, isText: true };
    case 'b':
      return { text: value.trim() === '1' ? 'TRUE' : 'FALSE', isText: false };
    case 'e':
    case 'd':
      return { text: value, isText: false };
    default:
      return { text: formatStoredNumber(value, style, context.formats), isText: false };
  }
}

function layOut(cells: Cell[]): SheetTable {
  cells.sort((a, b) => a.row - b.row || a.col - b.col);
  const columns = [...new Set(cells.map((cell) => cell.col))].sort((a, b) => a - b);
  const position = new Map(columns.map((col, i) => [col, i]));
  const rows: string[][] = [];
  let firstRowIsText = true;
  let currentRow = Number.NaN;
  for (const cell of cells) {
    if (cell.row !== currentRow) {
      rows.push(new Array<string>(columns.length).fill(''));
      currentRow = cell.row;
    }
    rows[rows.length - 1]![position.get(cell.col)!] = cell.text;
    if (rows.length === 1 && !cell.isText) firstRowIsText = false;
  }
  return { rows, firstRowIsText };
}

export function readSheet(xml: string, context: SheetContext): SheetTable {
  const cells: Cell[] = [];
  let row = 0;
  let col = -1;
  let cell: { type: string; style: number; value: string; inline: string } | undefined;
  let capture: 'value' | 'inline' | undefined;
  let phoneticDepth = 0;
  scanXml(xml, {
    open(name, attributes) {
      if (name === 'row') {
        row = Number(attribute(attributes, 'r')) || row + 1;
        col = -1;
      } else if (name === 'c') {
        const reference = attribute(attributes, 'r');
        const fromReference = reference === undefined ? -1 : columnIndex(reference);
        col = fromReference >= 0 ? fromReference : col + 1;
        const style = Number(attribute(attributes, 's') ?? 0) || 0;
        cell = { type: attribute(attributes, 't') ?? 'n', style, value: '', inline: '' };
      } else if (name === 'v' && cell) capture = 'value';
      else if (name === 'rPh') phoneticDepth++; // phonetic guide text repeats the reading, not the content
      else if (name === 't' && cell && phoneticDepth === 0) capture = 'inline';
    },
    text(text) {
      if (!cell || capture === undefined) return;
      if (capture === 'value') cell.value += text;
      else cell.inline += text;
    },
    close(name) {
      if (name === 'v' || name === 't') capture = undefined;
      else if (name === 'rPh') phoneticDepth--;
      else if (name === 'c' && cell) {
        const { text, isText } = cellText(cell.type, cell.value, cell.inline, cell.style, context);
        const trimmed = text.trim();
        if (trimmed !== '') {
          context.countCell();
          cells.push({ row, col, text: trimmed, isText });
        }
        cell = undefined;
      }
    },
  });
  return layOut(cells);
}

/** sharedStrings.xml: one string per <si>, rich-text runs concatenated, phonetic runs left out. */
export function readSharedStrings(xml: string | undefined): string[] {
  const strings: string[] = [];
  if (xml === undefined) return strings;
  let current: string | undefined;
  let inText = false;
  let phoneticDepth = 0;
  scanXml(xml, {
    open(name) {
      if (name === 'si') current = '';
      else if (name === 'rPh') phoneticDepth++;
      else if (name === 't' && phoneticDepth === 0) inText = true;
    },
    text(text) {
      if (inText && current !== undefined) current += text;
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') phoneticDepth--;
      else if (name === 'si' && current !== undefined) {
        strings.push(current);
        current = undefined;
      }
    },
  });
  return strings;
}
