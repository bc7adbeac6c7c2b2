// A page's lines as headings and paragraphs. Headings come from the outline
// when the PDF has one (bookmark titles matched to the lines that show them);
// otherwise from font size: lines clearly larger than the body text, ranked by
// size into levels. Paragraphs break where the font size changes or the gap
// between lines grows beyond normal line spacing.
import type { Block } from './blocks.ts';
import type { PdfLine } from './pdf-lines.ts';
import type { OutlineHeading } from './pdf-outline.ts';

/** undefined: body text; a heading: it starts here; 'part': continues the heading above. */
export type HeadingPlan = (OutlineHeading | 'part' | undefined)[];

const HEADING_SIZE_RATIO = 1.15;
const MAX_HEADING_CHARS = 200;
/** Beyond this baseline gap (in font sizes) the next line starts a new paragraph. */
const PARAGRAPH_GAP = 1.35;
/** A line ending this close to the right edge was wrapped: it continues with a space. */
const WRAP_SLACK = 0.15;

/** Glyphs that start a list item in PDFs made from word processors. */
const BULLETS = new Set('•◦▪▫‣⁃–-*·○■□➢✓');
const isBulleted = (text: string) => BULLETS.has(text.charAt(0)) && /^\S\s/.test(text.slice(0, 2));

const normal = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
const roundSize = (size: number) => Math.round(size * 2) / 2;
const hasLetter = (text: string) => /\p{L}/u.test(text);

/** The most common font size, weighted by characters: the body text. */
export function bodyFontSize(pages: readonly (readonly PdfLine[])[]): number {
  const weight = new Map<number, number>();
  for (const lines of pages) {
    for (const line of lines) {
      const size = roundSize(line.size);
      weight.set(size, (weight.get(size) ?? 0) + line.text.length);
    }
  }
  let best = 0;
  let bestWeight = -1;
  for (const [size, chars] of weight) if (chars > bestWeight) [best, bestWeight] = [size, chars];
  return best;
}

/** Heading levels by font size: sizes clearly above the body, largest first. */
export function fontSizeLevels(pages: readonly (readonly PdfLine[])[], body: number): Map<number, number> {
  const sizes = new Set<number>();
  for (const lines of pages) {
    for (const line of lines) if (line.size >= body * HEADING_SIZE_RATIO) sizes.add(roundSize(line.size));
  }
  const ranked = [...sizes].sort((a, b) => b - a);
  return new Map(ranked.map((size, i) => [size, Math.min(i + 1, 6)]));
}

export function fontSizePlan(lines: readonly PdfLine[], levels: Map<number, number>): HeadingPlan {
  const plan: HeadingPlan = [];
  let open: OutlineHeading | undefined;
  lines.forEach((line, i) => {
    const candidate = line.text.length <= MAX_HEADING_CHARS && hasLetter(line.text);
    const level = candidate ? levels.get(roundSize(line.size)) : undefined;
    const previous = lines[i - 1];
    // A heading wrapped over two lines: same size, directly below.
    const wrapped = open !== undefined && previous !== undefined && roundSize(previous.size) === roundSize(line.size)
      && previous.y - line.y <= line.size * PARAGRAPH_GAP && open.title.length + line.text.length <= MAX_HEADING_CHARS;
    if (level !== undefined && open && wrapped) {
      open.title += ` ${line.text}`;
      plan.push('part');
      return;
    }
    open = level === undefined ? undefined : { title: line.text, level };
    plan.push(open);
  });
  return plan;
}

/** Matches outline titles (in order) to lines, also titles wrapped over two lines. */
export function outlinePlan(
  lines: readonly PdfLine[],
  headings: readonly OutlineHeading[],
): { plan: HeadingPlan; unmatched: OutlineHeading[] } {
  // Each title's candidate lines in page order, with a cursor that only moves forward.
  const where = new Map<string, { at: number; list: { index: number; span: number }[] }>();
  const add = (key: string, index: number, span: number) => {
    const entry = where.get(key) ?? { at: 0, list: [] };
    entry.list.push({ index, span });
    where.set(key, entry);
  };
  lines.forEach((line, i) => {
    add(normal(line.text), i, 1);
    const next = lines[i + 1];
    if (next) add(normal(`${line.text} ${next.text}`), i, 2);
  });
  const plan: HeadingPlan = new Array(lines.length).fill(undefined);
  const unmatched: OutlineHeading[] = [];
  let from = 0;
  for (const heading of headings) {
    const candidates = where.get(normal(heading.title));
    while (candidates && (candidates.list[candidates.at]?.index ?? Infinity) < from) candidates.at++;
    const match = candidates?.list[candidates.at];
    if (!match) {
      unmatched.push(heading);
      continue;
    }
    plan[match.index] = heading;
    for (let k = 1; k < match.span; k++) plan[match.index + k] = 'part';
    from = match.index + match.span;
  }
  return { plan, unmatched };
}

export function linesToBlocks(lines: readonly PdfLine[], plan: HeadingPlan, page: number): Block[] {
  let left = Infinity;
  let right = -Infinity;
  for (const line of lines) [left, right] = [Math.min(left, line.x), Math.max(right, line.right)];
  const wrapAt = right - (right - left) * WRAP_SLACK;
  const blocks: Block[] = [];
  let text = '';
  let previous: PdfLine | undefined;
  const flush = () => {
    const lines = text.trim().split('\n');
    if (lines.length > 1 && lines.every(isBulleted)) {
      blocks.push({ kind: 'list', text: lines.map((item) => `- ${item.slice(2).trim()}`).join('\n'), page });
    } else if (text.trim()) {
      blocks.push({ kind: 'paragraph', text: text.trim(), page });
    }
    text = '';
    previous = undefined;
  };
  lines.forEach((line, i) => {
    const mark = plan[i];
    if (mark === 'part') return;
    if (mark) {
      flush();
      blocks.push({ kind: 'heading', level: mark.level, text: mark.title, page });
      return;
    }
    const sameParagraph = previous !== undefined && Math.abs(previous.size - line.size) <= 0.5
      && previous.y > line.y && previous.y - line.y <= line.size * PARAGRAPH_GAP;
    if (!sameParagraph) flush();
    else if (isBulleted(line.text) || previous!.right < wrapAt) text += '\n';
    else text += text.endsWith('-') ? '' : ' ';
    text += line.text;
    previous = line;
  });
  flush();
  return blocks;
}
