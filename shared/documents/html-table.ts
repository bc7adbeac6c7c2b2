// Collects one HTML table's rows. A leading row is a header row when it sits in
// <thead> or all its cells are <th>. Cell text is whitespace-collapsed; rows
// with no text are dropped.
import type { Block } from './blocks.ts';
import { collapseWhitespace } from './whitespace.ts';

export interface TableCollector {
  open(name: string): void;
  close(name: string): void;
  text(text: string): void;
  /** The caption (a paragraph) and the table, in reading order. */
  blocks(): Block[];
}

export function tableCollector(): TableCollector {
  const rows: string[][] = [];
  const headerFlags: boolean[] = [];
  let row: string[] | undefined;
  let rowIsHeader = true;
  let cell: string | undefined;
  let inHead = false;
  let caption: string | undefined;
  let captionText = '';

  const endCell = () => {
    if (cell === undefined) return;
    row?.push(collapseWhitespace(cell).trim());
    cell = undefined;
  };
  const text = (more: string) => {
    if (caption !== undefined) caption += more;
    else if (cell !== undefined) cell += more;
  };
  const endRow = () => {
    endCell();
    if (row?.some((text) => text !== '')) {
      rows.push(row);
      headerFlags.push(rowIsHeader);
    }
    row = undefined;
  };

  return {
    open(name) {
      if (name === 'tr') {
        endRow();
        row = [];
        rowIsHeader = true;
      } else if (name === 'td' || name === 'th') {
        endCell();
        row ??= [];
        cell = '';
        if (name === 'td' && !inHead) rowIsHeader = false;
      } else if (name === 'thead') inHead = true;
      else if (name === 'caption') caption = '';
      else if (name === 'br' || name === 'p' || name === 'li' || name === 'div') text(' ');
    },
    close(name) {
      if (name === 'td' || name === 'th') endCell();
      else if (name === 'tr') endRow();
      else if (name === 'thead') inHead = false;
      else if (name === 'caption' && caption !== undefined) {
        captionText += caption;
        caption = undefined;
      }
    },
    text,
    blocks() {
      endRow();
      const out: Block[] = [];
      const title = collapseWhitespace(captionText).trim();
      if (title) out.push({ kind: 'paragraph', text: title });
      let headerRows = 0;
      // A table that is all header rows is data with no header.
      while (headerRows < rows.length - 1 && headerFlags[headerRows]) headerRows++;
      if (rows.length > 0) out.push({ kind: 'table', text: '', rows, headerRows });
      return out;
    },
  };
}
