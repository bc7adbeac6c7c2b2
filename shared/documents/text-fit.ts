// Cutting text to a token budget, for the few places a unit must shrink to fit
// (an over-long table row or heading) and for the overlap carried into the next
// chunk. Token counts grow monotonically with a prefix or suffix, so binary
// search keeps these O(n log n).
import { estimateTokens } from '../text/token-estimate.ts';

/** The longest prefix of `text` within `maxTokens`. */
export function fitText(text: string, maxTokens: number): string {
  if (estimateTokens(text) <= maxTokens) return text;
  let low = 0;
  let high = Math.min(text.length, maxTokens * 4);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (estimateTokens(text.slice(0, mid)) <= maxTokens) low = mid;
    else high = mid - 1;
  }
  return text.slice(0, low);
}

/** Cells joined as "a | b | c", newlines inside cells flattened, trailing empty cells left out. */
export function renderRow(cells: readonly string[]): string {
  let end = cells.length;
  while (end > 0 && cells[end - 1]!.trim() === '') end--;
  return cells
    .slice(0, end)
    .map((cell) => (cell.includes('\n') ? cell.split('\n').join(' ') : cell))
    .join(' | ');
}

/**
 * A row rendered within `maxTokens`: every cell cut to the same longest
 * length that fits (so the last columns survive), then hard-cut if even that fails.
 */
export function fitRow(cells: readonly string[], maxTokens: number): string {
  const whole = renderRow(cells);
  if (estimateTokens(whole) <= maxTokens) return whole;
  const cut = (limit: number) =>
    renderRow(cells.map((cell) => (cell.length > limit ? `${cell.slice(0, limit)}…` : cell)));
  let low = 0;
  let high = cells.reduce((longest, cell) => Math.max(longest, cell.length), 0);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (estimateTokens(cut(mid)) <= maxTokens) low = mid;
    else high = mid - 1;
  }
  return fitText(cut(low), maxTokens);
}

const SENTENCE_ENDS = ['. ', '? ', '! ', '\n'];

/**
 * The end of `text` to repeat at the start of the next chunk: the longest run of
 * whole trailing sentences (or lines) within `overlapTokens`; '' when none fits.
 */
export function overlapTail(text: string, overlapTokens: number): string {
  if (overlapTokens <= 0) return '';
  // Every suffix within the budget is at most 4 characters per token long.
  const windowStart = Math.max(0, text.length - overlapTokens * 4);
  const starts: number[] = windowStart === 0 ? [0] : [];
  // A separator may begin just before the window and end inside it.
  for (let i = Math.max(0, windowStart - 2); i < text.length; i++) {
    for (const end of SENTENCE_ENDS) {
      if (text.startsWith(end, i) && i + end.length >= windowStart) starts.push(i + end.length);
    }
  }
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (estimateTokens(text.slice(starts[mid]!)) <= overlapTokens) high = mid;
    else low = mid + 1;
  }
  return low < starts.length ? text.slice(starts[low]!).trim() : '';
}
