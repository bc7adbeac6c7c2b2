// Structure-aware chunking: chunks break at headings first (a chunk never spans
// two sections), then at page, slide or sheet changes, then between blocks; a
// paragraph is split inside only when it alone is over budget (chunkText, with
// its overlap). A chunk that starts a section starts with its heading; table
// rows are never split and every chunk holding rows repeats the table's header.
// Token counts are sums of per-part estimates, an upper bound on the estimate of
// the joined text, so a chunk never exceeds the budget.
import { chunkText } from '../text/chunk-text.ts';
import { estimateTokens } from '../text/token-estimate.ts';
import type { Block } from './blocks.ts';
import { fitRow, fitText, overlapTail, renderRow } from './text-fit.ts';
import { collapseWhitespace } from './whitespace.ts';

export interface StructuredChunk {
  index: number;
  text: string;
  page?: number;
  section?: string;
  sheet?: string;
}

export interface StructuredChunkOptions {
  maxTokens: number;
  overlapTokens: number;
}

const MAX_CHUNK_CHARS = 16_000;
/** estimateTokens counts at least a token per 4 characters: this budget keeps chunks within MAX_CHUNK_CHARS. */
const MAX_BUDGET = MAX_CHUNK_CHARS / 4;
/** Below this a heading and one word would not fit. */
const MIN_BUDGET = 8;
const MAX_SECTION_HEADING_CHARS = 200;
/** "\n" or "\n\n" between two parts adds at most one token to the estimate. */
const JOIN = 1;

interface Place {
  page?: number;
  sheet?: string;
  section?: string;
}

interface OpenChunk {
  parts: string[];
  cost: number;
  place: Place;
  hasContent: boolean;
}

const placeOf = (block: Block, section: string | undefined): Place => ({
  page: block.page,
  sheet: block.sheet,
  section,
});

export function chunkBlocks(blocks: Block[], options: StructuredChunkOptions): StructuredChunk[] {
  const budget = Math.max(MIN_BUDGET, Math.min(Math.floor(options.maxTokens), MAX_BUDGET));
  const overlap = Math.max(0, Math.min(Math.floor(options.overlapTokens), Math.floor(budget / 2)));
  const chunks: StructuredChunk[] = [];
  const path: { level: number; text: string }[] = [];
  let pending: { texts: string[]; level: number; place: Place } | undefined;
  let chunk: OpenChunk | undefined;
  /** The open chunk's last prose part: where an overlap is taken from. */
  let lastProse: string | undefined;
  /** The chunk holding the table being written, whose last part is that table. */
  let tableChunk: OpenChunk | undefined;

  const section = () => (path.length > 0 ? path.map((heading) => heading.text).join(' › ') : undefined);
  const emit = (text: string, place: Place) => {
    const trimmed = text.trim();
    if (!trimmed) return;
    const out: StructuredChunk = { index: chunks.length, text: trimmed };
    if (place.page !== undefined) out.page = place.page;
    if (place.section !== undefined) out.section = place.section;
    if (place.sheet !== undefined) out.sheet = place.sheet;
    chunks.push(out);
  };
  const close = () => {
    if (chunk?.hasContent) emit(chunk.parts.join('\n\n'), chunk.place);
    chunk = undefined;
    lastProse = undefined;
  };
  const push = (open: OpenChunk, text: string, cost: number) => {
    open.cost += cost + (open.parts.length > 0 ? JOIN : 0);
    open.parts.push(text);
  };
  const fits = (open: OpenChunk, cost: number) => open.cost + (open.parts.length > 0 ? JOIN : 0) + cost <= budget;
  /** A new chunk; a section's first chunk starts with its heading(s). */
  const open = (block: Block): OpenChunk => {
    close();
    const opened: OpenChunk = { parts: [], cost: 0, place: placeOf(block, section()), hasContent: false };
    if (pending) {
      const prefix = fitText(pending.texts.join('\n'), Math.floor(budget / 4));
      push(opened, prefix, estimateTokens(prefix));
      pending = undefined;
    }
    chunk = opened;
    return opened;
  };
  const addContent = (target: OpenChunk, text: string, cost: number, prose: boolean) => {
    push(target, text, cost);
    target.hasContent = true;
    lastProse = prose ? text : undefined;
  };

  const addHeading = (block: Block) => {
    const text = collapseWhitespace(block.text).trim();
    if (!text) return;
    const level = Math.min(Math.max(Math.round(block.level ?? 1), 1), 6);
    close();
    // A heading with nothing under it but a sibling or parent heading is a chunk of its own.
    if (pending && level <= pending.level) {
      emit(fitText(pending.texts.join('\n'), budget), pending.place);
      pending = undefined;
    }
    while (path.length > 0 && path.at(-1)!.level >= level) path.pop();
    const short = text.length > MAX_SECTION_HEADING_CHARS ? `${text.slice(0, MAX_SECTION_HEADING_CHARS - 1)}…` : text;
    path.push({ level, text: short });
    pending = { texts: [...(pending?.texts ?? []), text], level, place: placeOf(block, section()) };
  };

  const addProse = (block: Block, text: string) => {
    const cost = estimateTokens(text);
    if (chunk?.hasContent && fits(chunk, cost)) return addContent(chunk, text, cost, true);
    const carry = chunk?.hasContent && lastProse !== undefined ? overlapTail(lastProse, overlap) : '';
    const target = open(block);
    if (fits(target, cost)) {
      const carryCost = carry ? estimateTokens(carry) : 0;
      if (carry && fits(target, carryCost + JOIN + cost)) push(target, carry, carryCost);
      return addContent(target, text, cost, true);
    }
    // Over budget on its own: split inside the paragraph, with chunkText's overlap.
    const room = Math.max(1, budget - target.cost - JOIN);
    chunkText(text, { maxTokens: room, overlapTokens: Math.min(overlap, Math.floor(room / 2)) }).forEach((piece, i) => {
      addContent(i === 0 ? target : open(block), piece, estimateTokens(piece), true);
    });
  };

  const addTable = (block: Block) => {
    const rows = (block.rows ?? []).filter((row) => row.some((cell) => cell.trim() !== ''));
    if (rows.length === 0) return;
    const declared = Math.max(0, Math.floor(block.headerRows ?? 0));
    // A table of header rows only has no header to repeat: its rows are the data.
    const headerCount = declared >= rows.length ? 0 : declared;
    const headerShare = Math.max(1, Math.floor(budget / 2 / Math.max(headerCount, 1)));
    const header = rows.slice(0, headerCount).map((row) => fitRow(row, headerShare)).join('\n');
    const headerCost = header ? estimateTokens(header) + JOIN : 0;
    tableChunk = undefined;
    for (const row of rows.slice(headerCount)) {
      let line = renderRow(row);
      let cost = estimateTokens(line);
      if (tableChunk && tableChunk === chunk && chunk.cost + JOIN + cost <= budget) {
        chunk.parts[chunk.parts.length - 1] += `\n${line}`;
        chunk.cost += JOIN + cost;
        continue;
      }
      const reuse = chunk?.hasContent && tableChunk !== chunk && fits(chunk, headerCost + cost);
      const target: OpenChunk = reuse && chunk ? chunk : open(block);
      const room = budget - target.cost - (target.parts.length > 0 ? JOIN : 0) - headerCost;
      if (cost > room) {
        line = fitRow(row, Math.max(1, room));
        cost = estimateTokens(line);
      }
      addContent(target, header ? `${header}\n${line}` : line, headerCost + cost, false);
      tableChunk = target;
    }
  };

  for (const block of blocks) {
    if (chunk && (chunk.place.page !== block.page || chunk.place.sheet !== block.sheet)) close();
    if (block.kind === 'heading') addHeading(block);
    else if (block.kind === 'table') addTable(block);
    else if (block.text.trim()) addProse(block, block.text.trim());
  }
  close();
  if (pending) emit(fitText(pending.texts.join('\n'), budget), pending.place);
  return chunks;
}
