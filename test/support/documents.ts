// Shared by the documents-* tests: the committed fixtures (see
// test/fixtures/documents/README.md) and generous parse limits.
import { readFileSync } from 'node:fs';
import type { Block, ParseLimits } from '../../shared/documents/blocks.ts';
import { ProblemError, type ProblemCode } from '../../shared/errors/problem-error.ts';

const FIXTURES = new URL('../fixtures/documents/', import.meta.url);

export const LIMITS: ParseLimits = { maxPages: 1000, maxSheets: 50, maxCells: 1_000_000, maxExpandedBytes: 64 << 20 };

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}

export const texts = (blocks: readonly Block[]) => blocks.map((block) => block.text);
export const headings = (blocks: readonly Block[]) =>
  blocks
    .filter((block) => block.kind === 'heading')
    .map((block) => ({ text: block.text, level: block.level, page: block.page }));

/** An assert.rejects matcher for a ProblemError with this code. */
export function problem(code: ProblemCode): (error: unknown) => boolean {
  return (error) => {
    if (!(error instanceof ProblemError)) throw error;
    if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`);
    return true;
  };
}
