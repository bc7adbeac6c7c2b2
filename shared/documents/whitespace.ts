// Whitespace handling shared by the text parsers, as character scans: a regex
// such as /\s+$/ backtracks quadratically over long runs of spaces.

const isSpace = (code: number) =>
  code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0c || code === 0xa0;

/** Collapses runs of whitespace (HTML's, plus no-break space) to one space; ends keep one space. */
export function collapseWhitespace(text: string): string {
  let out = '';
  let runStart = -1;
  let pendingSpace = false;
  for (let i = 0; i <= text.length; i++) {
    const space = i === text.length || isSpace(text.charCodeAt(i));
    if (space && runStart >= 0) {
      out += (pendingSpace ? ' ' : '') + text.slice(runStart, i);
      runStart = -1;
      pendingSpace = false;
    }
    if (space && i < text.length) pendingSpace = true;
    else if (!space && runStart < 0) runStart = i;
  }
  return pendingSpace ? `${out} ` : out;
}

/** Trims each line, drops empty lines. */
export function tidyLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}
