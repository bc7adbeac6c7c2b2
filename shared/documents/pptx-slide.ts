// One slide's (or notes page's) XML to blocks. Text lives in DrawingML runs
// (a:t) grouped by paragraph (a:p) inside shapes (p:sp); a shape's placeholder
// type (p:ph) says whether it is the title, body, footer… Tables are a:tbl in a
// graphic frame. mc:Fallback repeats mc:Choice content for old readers: skipped.
import type { Block } from './blocks.ts';
import { attribute, scanXml } from './xml-scan.ts';

interface Paragraph {
  text: string;
  level: number;
  /** true: a:buChar/a:buAutoNum; false: a:buNone; undefined: inherited from the layout */
  bullet: boolean | undefined;
}

interface Shape {
  /** p:ph type ('title', 'body', …; 'obj' when a placeholder names none); undefined: a plain text box */
  placeholder: string | undefined;
  paragraphs: Paragraph[];
}

export interface SlideText {
  title: string | undefined;
  blocks: Block[];
}

const TITLES = new Set(['title', 'ctrTitle']);
/** Date, footer, slide number, header and the notes page's slide picture carry no content. */
const CHROME = new Set(['dt', 'ftr', 'sldNum', 'hdr', 'sldImg']);
const LIST_PLACEHOLDERS = new Set(['body', 'obj']);
const BULLETS = new Set(['buChar', 'buAutoNum', 'buBlip']);

/** Calls `onShape` per text shape and `onTable` per table, in the slide's order. */
function scanShapes(
  xml: string,
  onShape: (shape: Shape) => void,
  onTable: (rows: string[][], header: boolean) => void,
): void {
  let fallbackDepth = 0;
  let shape: Shape | undefined;
  let paragraph: Paragraph | undefined;
  let inText = false;
  let table: { rows: string[][]; header: boolean } | undefined;
  let row: string[] | undefined;
  let cell: string[] | undefined;
  scanXml(xml, {
    open(name, attributes) {
      if (name === 'Fallback') fallbackDepth++;
      if (fallbackDepth > 0) return;
      if (name === 'sp') shape = { placeholder: undefined, paragraphs: [] };
      else if (name === 'ph' && shape) shape.placeholder = attribute(attributes, 'type') ?? 'obj';
      else if (name === 'p') paragraph = { text: '', level: 0, bullet: undefined };
      else if (name === 'pPr' && paragraph) paragraph.level = Number(attribute(attributes, 'lvl') ?? 0) || 0;
      else if (name === 'buNone' && paragraph) paragraph.bullet = false;
      else if (BULLETS.has(name) && paragraph) paragraph.bullet = true;
      else if (name === 't') inText = true;
      else if (name === 'br' && paragraph) paragraph.text += '\n';
      else if (name === 'tbl') table = { rows: [], header: false };
      else if (name === 'tblPr' && table) table.header = attribute(attributes, 'firstRow') === '1';
      else if (name === 'tr') row = [];
      else if (name === 'tc') cell = [];
    },
    text(text) {
      if (fallbackDepth === 0 && inText && paragraph) paragraph.text += text;
    },
    close(name) {
      if (name === 'Fallback') fallbackDepth--;
      if (fallbackDepth > 0) return;
      if (name === 't') inText = false;
      else if (name === 'p' && paragraph) {
        if (cell) cell.push(paragraph.text);
        else shape?.paragraphs.push(paragraph);
        paragraph = undefined;
      } else if (name === 'sp' && shape) {
        onShape(shape);
        shape = undefined;
      } else if (name === 'tc' && cell) {
        row?.push(cell.join('\n').trim());
        cell = undefined;
      } else if (name === 'tr' && row) {
        table?.rows.push(row);
        row = undefined;
      } else if (name === 'tbl' && table) {
        onTable(table.rows, table.header);
        table = undefined;
      }
    },
  });
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function shapeBlock(shape: Shape): Block | undefined {
  const paragraphs = shape.paragraphs.filter((p) => p.text.trim() !== '');
  if (paragraphs.length === 0) return undefined;
  const listLike = shape.placeholder !== undefined && LIST_PLACEHOLDERS.has(shape.placeholder);
  const asList = paragraphs.some((p) => p.bullet === true) || (listLike && paragraphs.some((p) => p.bullet !== false));
  if (!asList) return { kind: 'paragraph', text: paragraphs.map((p) => p.text.trim()).join('\n') };
  const items = paragraphs.map((p) => `${'  '.repeat(Math.min(p.level, 8))}- ${oneLine(p.text)}`);
  return { kind: 'list', text: items.join('\n') };
}

export function readSlide(xml: string): SlideText {
  let title: string | undefined;
  const blocks: Block[] = [];
  scanShapes(
    xml,
    (shape) => {
      if (shape.placeholder !== undefined && CHROME.has(shape.placeholder)) return;
      if (title === undefined && shape.placeholder !== undefined && TITLES.has(shape.placeholder)) {
        const text = oneLine(shape.paragraphs.map((p) => p.text).join(' '));
        if (text) {
          title = text;
          return;
        }
      }
      const block = shapeBlock(shape);
      if (block) blocks.push(block);
    },
    (rows, header) => {
      if (rows.some((cells) => cells.some((cell) => cell !== ''))) {
        blocks.push({ kind: 'table', text: '', rows, headerRows: header && rows.length > 1 ? 1 : 0 });
      }
    },
  );
  return { title, blocks };
}

/** The speaker notes: the notes page's body placeholder, one line per paragraph. */
export function readNotes(xml: string): string {
  const lines: string[] = [];
  scanShapes(
    xml,
    (shape) => {
      if (shape.placeholder !== 'body') return;
      for (const p of shape.paragraphs) if (p.text.trim()) lines.push(p.text.trim());
    },
    () => {},
  );
  return lines.join('\n');
}
