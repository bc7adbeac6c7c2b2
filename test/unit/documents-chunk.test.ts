// The structure-aware chunker: sections, pages and sheets bound chunks, headings
// start their section's first chunk, tables keep whole rows under a repeated
// header, only an over-long paragraph is split inside (with overlap), and no
// chunk exceeds the token budget or 16,000 characters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Block } from '../../shared/documents/blocks.ts';
import { chunkBlocks, type StructuredChunk } from '../../shared/documents/chunk-blocks.ts';
import { parseDocument } from '../../shared/documents/parse-document.ts';
import { estimateTokens } from '../../shared/text/token-estimate.ts';
import { fixture, LIMITS } from '../support/documents.ts';

const sentence = (topic: string, n: number) => `${topic} sentence ${n} has several plain words in it.`;
const paragraph = (topic: string, sentences: number) => Array.from({ length: sentences }, (_, n) => sentence(topic, n)).join(' ');

function assertWithinBudget(chunks: StructuredChunk[], maxTokens: number): void {
  chunks.forEach((chunk, i) => {
    assert.equal(chunk.index, i);
    assert.ok(chunk.text.trim() === chunk.text && chunk.text !== '', `chunk ${i} is blank or untrimmed`);
    assert.ok(estimateTokens(chunk.text) <= maxTokens, `chunk ${i} has ${estimateTokens(chunk.text)} tokens`);
    assert.ok(chunk.text.length <= 16_000, `chunk ${i} has ${chunk.text.length} characters`);
  });
}

describe('chunkBlocks: sections', () => {
  const blocks: Block[] = [
    { kind: 'paragraph', text: 'Preface before any heading.' },
    { kind: 'heading', level: 1, text: 'Refunds' },
    { kind: 'paragraph', text: 'Refunds are paid within ten days.' },
    { kind: 'heading', level: 2, text: 'Exceptions' },
    { kind: 'paragraph', text: 'Conference tickets are refunded within 41 days.' },
    { kind: 'heading', level: 2, text: 'Appeals' },
    { kind: 'paragraph', text: 'Appeals go to the finance director.' },
    { kind: 'heading', level: 1, text: 'Expenses' },
    { kind: 'paragraph', text: 'Claims are filed monthly.' },
  ];

  it('keeps every section in its own chunks, starting with its heading, with the heading path as section', () => {
    const chunks = chunkBlocks(blocks, { maxTokens: 500, overlapTokens: 20 });
    assert.deepEqual(chunks, [
      { index: 0, text: 'Preface before any heading.' },
      { index: 1, text: 'Refunds\n\nRefunds are paid within ten days.', section: 'Refunds' },
      { index: 2, text: 'Exceptions\n\nConference tickets are refunded within 41 days.', section: 'Refunds › Exceptions' },
      { index: 3, text: 'Appeals\n\nAppeals go to the finance director.', section: 'Refunds › Appeals' },
      { index: 4, text: 'Expenses\n\nClaims are filed monthly.', section: 'Expenses' },
    ]);
  });

  it('starts a nested section with its parent heading when the parent has no text of its own', () => {
    const chunks = chunkBlocks(
      [
        { kind: 'heading', level: 1, text: 'Travel' },
        { kind: 'heading', level: 2, text: 'Booking' },
        { kind: 'paragraph', text: 'Book early.' },
        { kind: 'heading', level: 1, text: 'Empty chapter' },
        { kind: 'heading', level: 1, text: 'Last' },
      ],
      { maxTokens: 100, overlapTokens: 0 },
    );
    assert.deepEqual(chunks, [
      { index: 0, text: 'Travel\nBooking\n\nBook early.', section: 'Travel › Booking' },
      { index: 1, text: 'Empty chapter', section: 'Empty chapter' },
      { index: 2, text: 'Last', section: 'Last' },
    ]);
  });

  it('breaks between paragraphs before it splits one, and overlaps only inside a section', () => {
    const topics = ['alpha', 'beta', 'gamma', 'delta'];
    const chunks = chunkBlocks(
      [
        { kind: 'heading', level: 1, text: 'One' },
        ...topics.map((topic): Block => ({ kind: 'paragraph', text: paragraph(topic, 3) })),
        { kind: 'heading', level: 1, text: 'Two' },
        { kind: 'paragraph', text: paragraph('epsilon', 2) },
      ],
      { maxTokens: 60, overlapTokens: 12 },
    );
    assertWithinBudget(chunks, 60);
    const one = chunks.filter((chunk) => chunk.section === 'One');
    assert.ok(one.length >= 3);
    assert.ok(one[0]!.text.startsWith('One\n\nalpha sentence 0'));
    // Each later chunk of the section repeats the last sentence of the one before, then starts a new paragraph whole.
    for (let i = 1; i < one.length; i++) {
      const lastSentence = one[i - 1]!.text.split('. ').at(-1)!;
      assert.ok(one[i]!.text.startsWith(lastSentence), `chunk ${i} does not overlap`);
      assert.match(one[i]!.text, /\n\n(alpha|beta|gamma|delta) sentence 0 /);
    }
    const two = chunks.filter((chunk) => chunk.section === 'Two');
    assert.equal(two.length, 1);
    assert.ok(two[0]!.text.startsWith('Two\n\nepsilon sentence 0'), 'the next section starts clean, without overlap');
  });

  it('splits a paragraph over budget with chunkText, overlapping its pieces', () => {
    const long = paragraph('zeta', 40);
    const blocks: Block[] = [{ kind: 'heading', level: 1, text: 'Long' }, { kind: 'paragraph', text: long }];
    const chunks = chunkBlocks(blocks, { maxTokens: 50, overlapTokens: 10 });
    assertWithinBudget(chunks, 50);
    assert.ok(chunks.length > 5);
    assert.ok(chunks[0]!.text.startsWith('Long\n\nzeta sentence 0'));
    assert.ok(chunks.slice(1).every((chunk) => !chunk.text.startsWith('Long')));
    for (let n = 0; n < 40; n++) assert.ok(chunks.some((chunk) => chunk.text.includes(sentence('zeta', n))), `lost sentence ${n}`);
    for (let i = 1; i < chunks.length; i++) {
      const words = chunks[i - 1]!.text.split(' ');
      assert.ok(chunks[i]!.text.includes(words.slice(-3).join(' ')), `piece ${i} does not overlap the one before`);
    }
  });

  it('never writes a chunk over 16,000 characters, whatever the token budget', () => {
    const chunks = chunkBlocks([{ kind: 'paragraph', text: 'word '.repeat(20_000) }], { maxTokens: 100_000, overlapTokens: 0 });
    assert.ok(chunks.length >= 2);
    assertWithinBudget(chunks, 4000);
    assert.equal(chunks.map((chunk) => chunk.text).join(' ').split(' ').length, 20_000);
  });
});

describe('chunkBlocks: pages, slides and sheets', () => {
  it('does not let a chunk span two pages, and keeps the section across them', () => {
    const chunks = chunkBlocks(
      [
        { kind: 'heading', level: 1, text: 'Policy', page: 1 },
        { kind: 'paragraph', text: 'Page one text.', page: 1 },
        { kind: 'paragraph', text: 'Page two text.', page: 2 },
        { kind: 'heading', level: 2, text: 'Detail', page: 2 },
        { kind: 'paragraph', text: 'Detail on page three.', page: 3 },
      ],
      { maxTokens: 500, overlapTokens: 50 },
    );
    assert.deepEqual(chunks, [
      { index: 0, text: 'Policy\n\nPage one text.', page: 1, section: 'Policy' },
      { index: 1, text: 'Page two text.', page: 2, section: 'Policy' },
      { index: 2, text: 'Detail\n\nDetail on page three.', page: 3, section: 'Policy › Detail' },
    ]);
  });

  it('gives every handbook PDF chunk one page, and finds the page-3 fact under Refunds › Exceptions', async () => {
    const { blocks } = await parseDocument(fixture('handbook.pdf'), 'pdf', LIMITS);
    const chunks = chunkBlocks(blocks, { maxTokens: 80, overlapTokens: 10 });
    assertWithinBudget(chunks, 80);
    const fact = chunks.find((chunk) => chunk.text.includes('within 41 days'));
    assert.equal(fact?.page, 3);
    assert.equal(fact?.section, 'Refunds › Exceptions');
    assert.ok(fact?.text.startsWith('Exceptions\n\n'));
    for (const chunk of chunks) {
      const pageBlocks = blocks.filter((block) => block.page === chunk.page).map((block) => block.text).join(' ');
      assert.ok(chunk.text.split(/\s+/).every((word) => pageBlocks.includes(word)), `chunk ${chunk.index} mixes pages`);
    }
  });

  it('gives PPTX chunks their slide number and keeps speaker notes on their slide', async () => {
    const { blocks } = await parseDocument(fixture('deck.pptx'), 'pptx', LIMITS);
    const chunks = chunkBlocks(blocks, { maxTokens: 200, overlapTokens: 0 });
    assert.deepEqual(chunks.map((chunk) => chunk.page), [1, 2, 3, 4, 5]);
    assert.equal(chunks.find((chunk) => chunk.text.includes('HX-7731'))?.section, 'Service volumes');
  });

  it('gives XLSX chunks their sheet and never mixes two sheets', async () => {
    const { blocks } = await parseDocument(fixture('budget.xlsx'), 'xlsx', LIMITS);
    const chunks = chunkBlocks(blocks, { maxTokens: 500, overlapTokens: 20 });
    assert.deepEqual(chunks.map((chunk) => [chunk.sheet, chunk.section]), [
      ['Budget 2025', 'Budget 2025'],
      ['Headcount', 'Headcount'],
    ]);
    assert.ok(chunks[1]!.text.startsWith('Headcount\n\nDepot | Technicians | Vans | Technicians per van\nNorth | 14 | 5 | 2.8'));
    assert.ok(!chunks[0]!.text.includes('North'));
  });
});

describe('chunkBlocks: tables', () => {
  it('repeats the header row in every chunk of the DOCX mileage table and never splits a row', async () => {
    const { blocks } = await parseDocument(fixture('handbook.docx'), 'docx', LIMITS);
    const table = blocks.find((block) => block.kind === 'table')!;
    const chunks = chunkBlocks(blocks, { maxTokens: 60, overlapTokens: 10 });
    assertWithinBudget(chunks, 60);
    const header = 'Vehicle class | Rate per km | Notes';
    const withRows = chunks.filter((chunk) => chunk.text.includes(' | ') && chunk.text !== header);
    assert.ok(withRows.length > 1, 'the table should need more than one chunk');
    for (const chunk of withRows) {
      const lines = chunk.text.split('\n');
      const first = lines.findIndex((line) => line.includes(' | '));
      assert.equal(lines[first], header, `chunk ${chunk.index} does not start its rows with the header`);
      assert.equal(chunk.section, 'Expenses › Mileage');
    }
    for (const row of table.rows!.slice(1)) {
      const line = row.join(' | ');
      const holding = withRows.filter((chunk) => chunk.text.split('\n').includes(line));
      assert.equal(holding.length, 1, `row ${line} not exactly once, whole`);
    }
  });

  it('gives a row over budget a chunk of its own, its cells cut to fit', () => {
    const rows = [
      ['Id', 'Description', 'Amount'],
      ['1', 'short', '10'],
      ['2', 'long words '.repeat(200), '20'],
      ['3', 'short again', '30'],
    ];
    const chunks = chunkBlocks([{ kind: 'table', text: '', rows, headerRows: 1 }], { maxTokens: 40, overlapTokens: 5 });
    assertWithinBudget(chunks, 40);
    assert.equal(chunks.length, 3);
    assert.equal(chunks[0]!.text, 'Id | Description | Amount\n1 | short | 10');
    assert.match(chunks[1]!.text, /^Id \| Description \| Amount\n2 \| long words[^\n]*… \| 20$/);
    assert.equal(chunks[2]!.text, 'Id | Description | Amount\n3 | short again | 30');
  });

  it('keeps a table with a paragraph before it when both fit, and drops empty rows and blocks', () => {
    const chunks = chunkBlocks(
      [
        { kind: 'paragraph', text: '   ' },
        { kind: 'paragraph', text: 'Rates below.' },
        { kind: 'table', text: '', rows: [['Class', 'Rate'], ['', ''], ['Car', '0.30']], headerRows: 1 },
        { kind: 'list', text: '' },
        { kind: 'table', text: '', rows: [['', '']], headerRows: 0 },
      ],
      { maxTokens: 100, overlapTokens: 10 },
    );
    assert.deepEqual(chunks, [{ index: 0, text: 'Rates below.\n\nClass | Rate\nCar | 0.30' }]);
  });
});

describe('chunkBlocks: any input', () => {
  const block = fc.oneof(
    fc.record({
      kind: fc.constant('heading' as const),
      text: fc.string({ maxLength: 300 }),
      level: fc.integer({ min: 0, max: 9 }),
    }),
    fc.record({
      kind: fc.constantFrom('paragraph' as const, 'list' as const, 'code' as const),
      text: fc.string({ maxLength: 3000 }),
    }),
    fc.record({
      kind: fc.constant('table' as const),
      text: fc.constant(''),
      rows: fc.array(fc.array(fc.string({ maxLength: 400 }), { maxLength: 6 }), { maxLength: 12 }),
      headerRows: fc.integer({ min: 0, max: 3 }),
    }),
  );
  const page = fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined });
  const sheet = fc.option(fc.constantFrom('A', 'B'), { nil: undefined });
  const placed = fc.tuple(block, page, sheet).map(([b, p, s]): Block => ({
    ...b,
    ...(p === undefined ? {} : { page: p }),
    ...(s === undefined ? {} : { sheet: s }),
  }));

  it('keeps every chunk within budget and 16,000 characters, indexed 0..n-1', () => {
    fc.assert(
      fc.property(
        fc.array(placed, { maxLength: 30 }),
        fc.integer({ min: 8, max: 6000 }),
        fc.integer({ min: 0, max: 200 }),
        (blocks, maxTokens, overlapTokens) => {
          assertWithinBudget(chunkBlocks(blocks, { maxTokens, overlapTokens }), Math.min(maxTokens, 4000));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('loses no word of any paragraph', () => {
    const word = fc.stringMatching(/^[a-z]{1,12}$/);
    const text = fc.array(word, { minLength: 1, maxLength: 120 }).map((words) => words.join(' '));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 12 }), fc.integer({ min: 20, max: 300 }), (paragraphs, maxTokens) => {
        const chunks = chunkBlocks(paragraphs.map((p) => ({ kind: 'paragraph', text: p })), { maxTokens, overlapTokens: 5 });
        const out = new Set(chunks.flatMap((chunk) => chunk.text.split(/\s+/)));
        for (const p of paragraphs) for (const w of p.split(' ')) assert.ok(out.has(w), `lost ${w}`);
      }),
      { numRuns: 200 },
    );
  });
});
