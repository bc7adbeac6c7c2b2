// pdf.js text items (runs of text with a transform matrix) regrouped into the
// visual lines of a page. An item starts a new line when pdf.js marks the end of
// one (hasEOL) or when its baseline moves by more than half the font size.
export interface PdfTextItem {
  str: string;
  /** [a, b, c, d, e, f]: font size is the length of (c, d); (e, f) is the baseline origin. */
  transform: number[];
  width: number;
  hasEOL: boolean;
}

export interface PdfLine {
  text: string;
  /** Font size in points (the largest on the line). */
  size: number;
  x: number;
  /** Baseline height from the page bottom. */
  y: number;
  right: number;
}

/** A gap wider than this share of the font size between two items is a space. */
const SPACE_GAP = 0.15;

export function isTextItem(item: object): item is PdfTextItem {
  return 'str' in item && 'transform' in item;
}

export function pageLines(items: readonly object[]): PdfLine[] {
  const lines: PdfLine[] = [];
  let line: PdfLine | undefined;
  const end = () => {
    if (line && line.text.trim() !== '') lines.push({ ...line, text: line.text.trim() });
    line = undefined;
  };
  for (const item of items) {
    if (!isTextItem(item)) continue;
    const [, , c = 0, d = 0, x = 0, y = 0] = item.transform;
    const size = Math.hypot(c, d);
    if (line && Math.abs(y - line.y) > Math.max(size, line.size) * 0.5) end();
    if (item.str !== '') {
      if (!line) {
        line = { text: item.str, size, x, y, right: x + item.width };
      } else {
        const gap = x - line.right;
        const spaced = line.text.endsWith(' ') || item.str.startsWith(' ');
        line.text += !spaced && gap > size * SPACE_GAP ? ` ${item.str}` : item.str;
        line.right = Math.max(line.right, x + item.width);
        line.size = Math.max(line.size, size);
      }
    }
    if (item.hasEOL) end();
  }
  end();
  return lines;
}
