// Recognisers for Markdown's line-level constructs (CommonMark 0.31 §4–5, GFM
// tables). Each looks at one line with a bounded character scan; none uses a
// regex that could backtrack over the untrusted line.

export interface ListMarker {
  indent: number;
  text: string;
}

const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';

/** Leading spaces, a tab counting as four. */
export function indentOf(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width += 4 - (width % 4);
    else break;
  }
  return width;
}

function skipSpaces(line: string, from = 0, max = Infinity): number {
  let at = from;
  while (at < line.length && at - from < max && isBlank(line[at])) at++;
  return at;
}

/** Removes block-quote markers ("> > text" → "text"). */
export function stripQuoteMarkers(line: string): { text: string; quoted: boolean } {
  let at = 0;
  let quoted = false;
  for (;;) {
    const marker = skipSpaces(line, at, 3);
    if (line[marker] !== '>') break;
    quoted = true;
    at = marker + 1;
    if (isBlank(line[at])) at++;
  }
  return { text: at === 0 ? line : line.slice(at), quoted };
}

export function fenceOpening(line: string): { marker: string; length: number } | undefined {
  const at = skipSpaces(line, 0, 3);
  const marker = line[at];
  if (marker !== '`' && marker !== '~') return undefined;
  let end = at;
  while (line[end] === marker) end++;
  if (end - at < 3) return undefined;
  if (marker === '`' && line.indexOf('`', end) >= 0) return undefined; // info strings cannot hold backticks
  return { marker, length: end - at };
}

export function closesFence(line: string, fence: { marker: string; length: number }): boolean {
  const at = skipSpaces(line, 0, 3);
  let end = at;
  while (line[end] === fence.marker) end++;
  return end - at >= fence.length && line.slice(end).trim() === '';
}

export function atxHeading(line: string): { level: number; text: string } | undefined {
  const at = skipSpaces(line, 0, 3);
  let end = at;
  while (line[end] === '#' && end - at < 7) end++;
  const level = end - at;
  if (level < 1 || level > 6 || (end < line.length && !isBlank(line[end]))) return undefined;
  let text = line.slice(end).trim();
  // An optional closing run of #s, if a space precedes it.
  let close = text.length;
  while (close > 0 && text[close - 1] === '#') close--;
  if (close < text.length && (close === 0 || isBlank(text[close - 1]))) text = text.slice(0, close).trim();
  return { level, text };
}

/** A line of only one of -, *, _ (three or more, spaces allowed). */
export function isThematicBreak(line: string): boolean {
  const at = skipSpaces(line, 0, 3);
  const ch = line[at];
  if (ch !== '-' && ch !== '*' && ch !== '_') return false;
  let count = 0;
  for (let i = at; i < line.length; i++) {
    if (line[i] === ch) count++;
    else if (!isBlank(line[i])) return false;
  }
  return count >= 3;
}

/** "===" under a paragraph makes it a level-1 heading, "---" level 2. */
export function setextLevel(line: string): 1 | 2 | undefined {
  const at = skipSpaces(line, 0, 3);
  const ch = line[at];
  if (ch !== '=' && ch !== '-') return undefined;
  let end = at;
  while (line[end] === ch) end++;
  if (line.slice(end).trim() !== '') return undefined;
  return ch === '=' ? 1 : 2;
}

export function listMarker(line: string): ListMarker | undefined {
  const indent = indentOf(line);
  const at = skipSpaces(line);
  let end = at;
  const ch = line[at];
  if (ch === '-' || ch === '+' || ch === '*') end = at + 1;
  else {
    while (end < line.length && end - at < 9 && line.charCodeAt(end) >= 0x30 && line.charCodeAt(end) <= 0x39) end++;
    if (end === at || (line[end] !== '.' && line[end] !== ')')) return undefined;
    end++;
  }
  if (end < line.length && !isBlank(line[end])) return undefined;
  return { indent, text: line.slice(end).trim() };
}

/** A GFM table delimiter row: cells of dashes with optional alignment colons. */
export function isDelimiterRow(line: string): boolean {
  let dashes = 0;
  let pipes = 0;
  for (const ch of line) {
    if (ch === '-') dashes++;
    else if (ch === '|') pipes++;
    else if (ch !== ':' && !isBlank(ch)) return false;
  }
  return dashes > 0 && pipes > 0;
}

/** A table row's cells: outer pipes dropped, split on pipes that are not escaped. */
export function tableCells(line: string): string[] {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (text[i] === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += text[i];
  }
  cells.push(cell.trim());
  return cells;
}
