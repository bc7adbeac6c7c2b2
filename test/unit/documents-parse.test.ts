// Every parser against files real tools wrote (LibreOffice, pandoc, Ghostscript,
// qpdf; see test/fixtures/documents/README.md): text, pages, headings, lists,
// table rows and header rows come out where the source put them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Block } from '../../shared/documents/blocks.ts';
import { detectFormat } from '../../shared/documents/detect-format.ts';
import { parseDocument } from '../../shared/documents/parse-document.ts';
import { writeDocx } from '../../scripts/fixtures/write-docx.ts';
import { writeTextPdf } from '../../scripts/fixtures/write-text-pdf.ts';
import { fixture, headings, LIMITS, problem, texts } from '../support/documents.ts';

async function parseFixture(name: string) {
  const bytes = fixture(name);
  const format = detectFormat(undefined, name, bytes);
  assert.ok(format, `no format for ${name}`);
  return parseDocument(bytes, format, LIMITS);
}

const only = <T extends Block['kind']>(blocks: Block[], kind: T) => blocks.filter((block) => block.kind === kind);
const containing = (blocks: Block[], text: string) => {
  const found = blocks.find((block) => block.text.includes(text) || block.rows?.some((row) => row.join(' ').includes(text)));
  assert.ok(found, `no block contains ${JSON.stringify(text)}`);
  return found;
};

describe('parseDocument: PDF', () => {
  it('reads each page of the handbook with its bookmarks as headings', async () => {
    const { blocks, warnings } = await parseFixture('handbook.pdf');
    assert.deepEqual(warnings, []);
    assert.deepEqual(headings(blocks), [
      { text: 'Travel Policy', level: 1, page: 1 },
      { text: 'Booking', level: 2, page: 1 },
      { text: 'Approvals', level: 2, page: 1 },
      { text: 'Expenses', level: 1, page: 2 },
      { text: 'Meals', level: 2, page: 2 },
      { text: 'Mileage', level: 2, page: 2 },
      { text: 'Refunds', level: 1, page: 3 },
      { text: 'Exceptions', level: 2, page: 3 },
    ]);
    const fact = containing(blocks, 'within 41 days');
    assert.equal(fact.page, 3);
    assert.ok(blocks.indexOf(fact) > blocks.findIndex((block) => block.text === 'Exceptions'));
    assert.equal(containing(blocks, 'Mountain road supplement').page, 2);
    assert.ok(blocks.every((block) => block.page !== undefined && block.page >= 1 && block.page <= 3));
  });

  it('turns bulleted lines into a list and joins wrapped lines into one paragraph', async () => {
    const { blocks } = await parseFixture('handbook.pdf');
    const list = containing(blocks, 'Trains are preferred');
    assert.equal(list.kind, 'list');
    assert.equal(list.text.split('\n').length, 3);
    assert.ok(list.text.split('\n').every((line) => line.startsWith('- ')));
    const intro = containing(blocks, 'This handbook explains');
    assert.match(intro.text, /business travel\. It applies to every office and to contractors who travel on company business\.$/);
  });

  it('warns about the scanned page of a partly scanned PDF and keeps the others', async () => {
    const { blocks, warnings } = await parseFixture('partial-scan.pdf');
    assert.deepEqual(warnings, [{ code: 'pages_without_text', detail: 'Page 2 has no text layer (scanned?)' }]);
    assert.deepEqual([...new Set(blocks.map((block) => block.page))], [1, 3]);
    assert.equal(containing(blocks, 'within 41 days').page, 3);
  });

  it('finds headings by font size in a PDF without bookmarks (write-text-pdf)', async () => {
    const pages = Array.from({ length: 12 }, (_, i) => [
      `# Chapter ${i + 1}`,
      `Chapter ${i + 1} explains topic ${i + 1}. ${'It has enough words to wrap over several lines of the page. '.repeat(3)}`,
      `A second paragraph about topic ${i + 1}.`,
    ]);
    const bytes = writeTextPdf(pages);
    assert.equal(detectFormat('application/pdf', 'synthetic', bytes), 'pdf');
    const { blocks } = await parseDocument(bytes, 'pdf', LIMITS);
    assert.deepEqual(headings(blocks), pages.map((_, i) => ({ text: `Chapter ${i + 1}`, level: 1, page: i + 1 })));
    assert.equal(only(blocks, 'paragraph').length, 24);
    assert.equal(containing(blocks, 'about topic 7.').page, 7);
  });
});

describe('parseDocument: Office', () => {
  it('keeps the DOCX heading levels, list and table with its header row', async () => {
    const { blocks } = await parseFixture('handbook.docx');
    assert.deepEqual(
      headings(blocks).map(({ text, level }) => `${level} ${text}`),
      ['1 Travel Policy', '2 Booking', '2 Approvals', '1 Expenses', '2 Meals', '2 Mileage', '1 Refunds', '2 Exceptions'],
    );
    const [list] = only(blocks, 'list');
    assert.equal(list?.text, [
      '- Trains are preferred over flights for journeys under four hours.',
      '- Hotel stays are capped at three nights unless a manager approves more.',
      '- Car hire needs a written reason in the booking request.',
    ].join('\n'));
    const [table] = only(blocks, 'table');
    assert.equal(table?.headerRows, 1);
    assert.equal(table?.rows?.length, 17);
    assert.deepEqual(table?.rows?.[0], ['Vehicle class', 'Rate per km', 'Notes']);
    assert.deepEqual(table?.rows?.[16], ['Mountain road supplement', '0.04', 'Roads above 1500 metres']);
    assert.ok(blocks.indexOf(containing(blocks, 'within 41 days')) > blocks.findIndex((block) => block.text === 'Exceptions'));
  });

  it('reads the PPTX slides in order: title, bullets, table, speaker notes, slide number as page', async () => {
    const { blocks } = await parseFixture('deck.pptx');
    assert.deepEqual(headings(blocks), [
      { text: 'Quarterly Field Service Review', level: 1, page: 1 },
      { text: 'Service volumes', level: 1, page: 2 },
      { text: 'Spare parts', level: 1, page: 3 },
      { text: 'Depot comparison', level: 1, page: 4 },
      { text: 'Next steps', level: 1, page: 5 },
    ]);
    const notes = containing(blocks, 'HX-7731');
    assert.equal(notes.page, 2);
    assert.ok(notes.text.startsWith('Notes: The spike in field visits'));
    const bullets = containing(blocks, 'Remote fixes closed 58 percent');
    assert.equal(bullets.kind, 'list');
    assert.equal(bullets.text.split('\n').length, 3);
    const [table] = only(blocks, 'table');
    assert.equal(table?.page, 4);
    assert.equal(table?.headerRows, 1);
    assert.deepEqual(table?.rows?.[3], ['Coast', '290', '85%']);
    assert.equal(containing(blocks, 'Pilot predictive maintenance').page, 5);
  });

  it('reads each XLSX sheet as a heading and a table: header row, numbers, dates, cached formula values', async () => {
    const { blocks } = await parseFixture('budget.xlsx');
    assert.deepEqual(blocks.map((block) => [block.kind, block.sheet]), [
      ['heading', 'Budget 2025'],
      ['table', 'Budget 2025'],
      ['heading', 'Headcount'],
      ['table', 'Headcount'],
    ]);
    const [budget, headcount] = only(blocks, 'table');
    assert.equal(budget?.headerRows, 1);
    assert.deepEqual(budget?.rows?.[0], ['Cost centre', 'Item', 'Amount', 'Approved on']);
    assert.deepEqual(budget?.rows?.[2], ['CC-410 Field service', 'Technician training, "advanced" course', '8250.5', '2025-02-03']);
    assert.deepEqual(budget?.rows?.[4], ['Total', '', '52500.5', '']);
    assert.deepEqual(headcount?.rows?.slice(1), [['North', '14', '5', '2.8'], ['Coast', '9', '4', '2.25']]);
  });
});

describe('parseDocument: text formats', () => {
  it('reads the CSV with its header, quoted commas and doubled quotes', async () => {
    const { blocks } = await parseFixture('suppliers.csv');
    assert.equal(blocks.length, 1);
    const [table] = blocks;
    assert.equal(table?.kind, 'table');
    assert.equal(table?.headerRows, 1);
    assert.equal(table?.rows?.length, 6);
    const quoted = 'Ships within 5 days, "express" on request';
    assert.deepEqual(table?.rows?.[1], ['Harbour Gearworks', 'Gearboxes', 'Rotterdam', quoted, '48200']);
    assert.equal(table?.rows?.[4]?.[1], 'Cables, connectors');
  });

  it('sniffs a semicolon CSV and sees no header over numbers', async () => {
    const csv = new TextEncoder().encode('1;2,5;3\n4;5;6\n');
    const { blocks } = await parseDocument(csv, 'csv', LIMITS);
    assert.deepEqual(blocks, [{ kind: 'table', text: '', rows: [['1', '2,5', '3'], ['4', '5', '6']], headerRows: 0 }]);
  });

  it('reads the HTML page: headings, nested list, table header, code; no script, style, head, nav or comments', async () => {
    const { blocks } = await parseFixture('page.html');
    assert.deepEqual(
      headings(blocks).map(({ text, level }) => `${level} ${text}`),
      ['1 Warranty & Repairs', '2 What is covered', '2 Repair prices', '3 Shipping'],
    );
    const all = JSON.stringify(blocks);
    const leaks = ['script text', 'trackingSecret', 'font-family', 'Head title', 'comment that must', 'Enable JavaScript', 'Template'];
    for (const dropped of [...leaks, 'Home']) {
      assert.ok(!all.includes(dropped), `${dropped} leaked`);
    }
    assert.ok(containing(blocks, '24 months after delivery').text.includes('euro (€) and include VAT — the café next door'));
    assert.equal(containing(blocks, 'Sensor drift').text, [
      '- Sensor drift beyond the stated tolerance',
      '- Cracked housings caused by normal use',
      '  - Including frost damage below −20 °C',
      '- Faulty displays',
    ].join('\n'));
    const [table] = only(blocks, 'table');
    assert.equal(table?.headerRows, 1);
    assert.deepEqual(table?.rows, [
      ['Model', 'Repair', 'Price €'],
      ['PG-100', 'Replace sensor', '85'],
      ['PG-200', 'Replace display', '120'],
      ['PG-300', 'Recalibrate & reseal', '64'],
    ]);
    assert.equal(blocks[blocks.indexOf(table!) - 1]?.text, 'Out-of-warranty repair prices');
    assert.equal(containing(blocks, 'original box').text, 'Send the gauge in its original box.\nRepairs take ten working days.');
    const code = 'Return code format: RMA-<year>-<number>\nExample:            RMA-2025-0042';
    assert.deepEqual(only(blocks, 'code').map((block) => block.text), [code]);
  });

  it('reads the Markdown notes: ATX and setext headings, nested list, table, fenced code, quote; markup removed', async () => {
    const { blocks } = await parseFixture('notes.md');
    assert.deepEqual(headings(blocks).map(({ text, level }) => `${level} ${text}`), [
      '1 Calibration notes', '2 Schedule', '2 Tolerances', '2 Procedure', '2 Setext heading for history',
    ]);
    assert.equal(
      containing(blocks, 'reference bench').text,
      'Gauges are calibrated against the reference bench in the Leeds lab. See the bench manual for the procedure.',
    );
    assert.equal(containing(blocks, 'Pressure gauges').text, [
      '- Pressure gauges: every six months',
      '- Temperature probes: every twelve months',
      '  - Probes used outdoors: every three months',
      '- Flow meters: after every repair',
    ].join('\n'));
    assert.equal(containing(blocks, 'Warm the bench').text, '- Warm the bench up for 30 minutes.\n- Run the zero-offset check.');
    const [table] = only(blocks, 'table');
    assert.deepEqual(table?.rows?.[0], ['Instrument', 'Tolerance', 'Reference']);
    assert.deepEqual(table?.rows?.[2], ['TP-20', '0.2 °C', 'Bench B']);
    assert.equal(table?.headerRows, 1);
    assert.deepEqual(only(blocks, 'code').map((block) => block.text), ['bench-cli calibrate --device PG-100 --points 5']);
    assert.equal(containing(blocks, 'recertified').kind, 'paragraph');
  });

  it('splits plain text into paragraphs at blank lines and strips a byte order mark', async () => {
    const text = '\uFEFFFirst paragraph,\nsecond line.\n  \t\nSecond paragraph.\r\n\r\n\r\nThird.';
    const { blocks } = await parseDocument(new TextEncoder().encode(text), 'text', LIMITS);
    assert.deepEqual(texts(blocks), ['First paragraph,\nsecond line.', 'Second paragraph.', 'Third.']);
  });

  it('flattens JSON to path: value lines, one paragraph per top-level member', async () => {
    const json = JSON.stringify({ policy: { name: 'Travel', limits: [45, { hotel: 3 }] }, active: true, owner: null });
    const { blocks } = await parseDocument(new TextEncoder().encode(json), 'json', LIMITS);
    assert.deepEqual(texts(blocks), [
      'policy.name: Travel\npolicy.limits.0: 45\npolicy.limits.1.hotel: 3',
      'active: true',
      'owner: null',
    ]);
    const scalar = await parseDocument(new TextEncoder().encode('"just text"'), 'json', LIMITS);
    assert.deepEqual(texts(scalar.blocks), ['value: just text']);
  });

  it('refuses text that is not UTF-8 and JSON that does not parse', async () => {
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]); // "café" in ISO-8859-1
    for (const format of ['text', 'markdown', 'html', 'csv', 'json'] as const) {
      await assert.rejects(parseDocument(latin1, format, LIMITS), problem('invalid_encoding'));
    }
    await assert.rejects(parseDocument(new TextEncoder().encode('{"a": '), 'json', LIMITS), problem('invalid_json'));
  });
});

describe('detectFormat', () => {
  const pdf = fixture('handbook.pdf');
  const docx = fixture('handbook.docx');
  const text = new TextEncoder().encode('plain words');

  it('trusts the media type first, parameters and case ignored', () => {
    assert.equal(detectFormat('text/markdown; charset=utf-8', 'notes.txt', text), 'markdown');
    assert.equal(detectFormat('Text/CSV', 'x', text), 'csv');
    assert.equal(detectFormat('text/x-markdown', 'x', text), 'markdown');
    const office = 'application/vnd.openxmlformats-officedocument';
    assert.equal(detectFormat(`${office}.wordprocessingml.document`, 'x', docx), 'docx');
    assert.equal(detectFormat(`${office}.presentationml.presentation`, 'x', fixture('deck.pptx')), 'pptx');
    assert.equal(detectFormat(`${office}.spreadsheetml.sheet`, 'x', fixture('budget.xlsx')), 'xlsx');
    assert.equal(detectFormat('application/ld+json', 'x', text), 'json');
    assert.equal(detectFormat('text/html', 'x', text), 'html');
  });

  it('falls back to the extension, then to the bytes', () => {
    assert.equal(detectFormat('application/octet-stream', 'Report.PDF', pdf), 'pdf');
    assert.equal(detectFormat(undefined, 'dir.v2/page.htm', text), 'html');
    assert.equal(detectFormat('image/png', 'notes.markdown', text), 'markdown');
    assert.equal(detectFormat('application/octet-stream', 'upload', pdf), 'pdf');
    assert.equal(detectFormat(undefined, 'upload', docx), 'docx');
    assert.equal(detectFormat(undefined, 'upload', fixture('deck.pptx')), 'pptx');
    assert.equal(detectFormat(undefined, 'upload', fixture('budget.xlsx')), 'xlsx');
  });

  it('answers undefined for what it does not know', () => {
    assert.equal(detectFormat(undefined, 'archive.tar', text), undefined);
    assert.equal(detectFormat('constructor', 'x.__proto__', text), undefined);
    assert.equal(detectFormat(undefined, 'x.constructor', text), undefined);
    assert.equal(detectFormat('image/png', 'photo', new Uint8Array([0x89, 0x50, 0x4e, 0x47])), undefined);
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    assert.equal(detectFormat(undefined, 'old.doc', ole), undefined);
  });

  it('calls a declared type that the bytes contradict corrupt', () => {
    assert.throws(() => detectFormat('application/pdf', 'report.pdf', docx), problem('corrupt_document'));
    assert.throws(() => detectFormat(undefined, 'report.docx', pdf), problem('corrupt_document'));
    assert.throws(() => detectFormat(undefined, 'deck.pptx', docx), problem('corrupt_document'));
    assert.throws(() => detectFormat('text/plain', 'notes.txt', pdf), problem('corrupt_document'));
  });
});

describe('benchmark document writers', () => {
  it('writeDocx round-trips its sections through the DOCX parser', async () => {
    const sections = Array.from({ length: 30 }, (_, i) => ({
      heading: `Section ${i + 1} <&>`,
      paragraphs: [`Body ${i + 1} one.`, `Body ${i + 1} two.`],
    }));
    const bytes = writeDocx(sections);
    assert.equal(detectFormat(undefined, 'big.docx', bytes), 'docx');
    const { blocks } = await parseDocument(bytes, 'docx', LIMITS);
    assert.deepEqual(headings(blocks).map((h) => h.text), sections.map((s) => s.heading));
    assert.ok(headings(blocks).every((h) => h.level === 1));
    assert.deepEqual(texts(only(blocks, 'paragraph')), sections.flatMap((s) => s.paragraphs));
  });

  it('writeTextPdf writes the pages it is given, with a cross-reference table pdf.js accepts', async () => {
    const line = (page: number) => `Page ${page} text (with parentheses) and a backslash \\ and café.`;
    const bytes = writeTextPdf(Array.from({ length: 40 }, (_, i) => [line(i + 1)]));
    const { blocks, warnings } = await parseDocument(bytes, 'pdf', LIMITS);
    assert.deepEqual(warnings, []);
    assert.equal(blocks.length, 40);
    assert.deepEqual(blocks[39], { kind: 'paragraph', text: line(40), page: 40 });
  });
});
