// Hostile and broken documents: each ends in a problem the caller can answer
// (encrypted, scan, corrupt, too complex), quickly and in bounded memory, and
// adversarial text never costs more than 50 ms per 10 KB in any text parser or
// the chunker. The zip bombs run first, while this process's peak RSS is low.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strToU8, unzipSync, Zip, ZipDeflate, ZipPassThrough, zipSync } from 'fflate';
import fc from 'fast-check';
import type { DocumentFormat, ParseLimits } from '../../shared/documents/blocks.ts';
import { chunkBlocks } from '../../shared/documents/chunk-blocks.ts';
import { detectFormat } from '../../shared/documents/detect-format.ts';
import { parseDocument } from '../../shared/documents/parse-document.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { fixture, LIMITS, problem } from '../support/documents.ts';

const MB = 1 << 20;
const BOMB_LIMITS: ParseLimits = { ...LIMITS, maxExpandedBytes: 20 * MB };

/** A DOCX-shaped zip whose document part is `megabytes` of zeros, built in 1 MB steps. */
function zipBomb(megabytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    parts.push(chunk);
  });
  const rels = new ZipPassThrough('_rels/.rels');
  zip.add(rels);
  rels.push(strToU8('<Relationships/>'), true);
  const document = new ZipDeflate('word/document.xml', { level: 1 });
  zip.add(document);
  const zeros = new Uint8Array(MB);
  for (let i = 0; i < megabytes; i++) document.push(zeros, i === megabytes - 1);
  zip.end();
  return new Uint8Array(Buffer.concat(parts)); // a plain Uint8Array: its slice() copies, a Buffer's does not
}

/** The same zip with the central directory claiming the document part is small. */
function withDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let at = out.length - 46; at >= 0; at--) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    if (Buffer.from(out.subarray(at + 46, at + 46 + nameLength)).toString() === name) view.setUint32(at + 24, size, true);
  }
  return out;
}

async function measure(run: () => Promise<unknown>): Promise<{ ms: number; peakGrowthMb: number; error: unknown }> {
  const peakBefore = process.resourceUsage().maxRSS;
  const start = performance.now();
  let error: unknown;
  try {
    await run();
  } catch (caught) {
    error = caught;
  }
  return { ms: performance.now() - start, peakGrowthMb: (process.resourceUsage().maxRSS - peakBefore) / 1024, error };
}

describe('zip bombs', () => {
  const bomb = zipBomb(200);

  for (const [label, bytes, limits] of [
    ['declaring 200 MB', bomb, BOMB_LIMITS],
    ['declaring a 1000:1 ratio under a 1 GB limit', bomb, { ...BOMB_LIMITS, maxExpandedBytes: 1024 * MB }],
    ['lying that it is 4 KB', withDeclaredSize(bomb, 'word/document.xml', 4096), BOMB_LIMITS],
  ] as const) {
    it(`stops a 200 MB bomb ${label} fast, without growing the peak RSS by 50 MB`, async () => {
      const { ms, peakGrowthMb, error } = await measure(() => parseDocument(bytes, 'docx', limits));
      assert.ok(problem('document_too_complex')(error));
      assert.ok(ms < 500, `took ${ms} ms`);
      assert.ok(peakGrowthMb < 50, `peak RSS grew ${peakGrowthMb} MB`);
    });
  }

  it('caps the total expanded size of honest parts at maxExpandedBytes', async () => {
    const limits = { ...LIMITS, maxExpandedBytes: 10_000 };
    await assert.rejects(parseDocument(fixture('handbook.docx'), 'docx', limits), problem('document_too_complex'));
    await assert.rejects(parseDocument(fixture('deck.pptx'), 'pptx', limits), problem('document_too_complex'));
  });
});

describe('limits', () => {
  it('refuses more pages, slides, sheets or cells than allowed', async () => {
    const over = async (name: string, format: DocumentFormat, limits: Partial<ParseLimits>) =>
      assert.rejects(parseDocument(fixture(name), format, { ...LIMITS, ...limits }), problem('document_too_complex'));
    await over('handbook.pdf', 'pdf', { maxPages: 2 });
    await over('deck.pptx', 'pptx', { maxPages: 4 });
    await over('budget.xlsx', 'xlsx', { maxSheets: 1 });
    await over('budget.xlsx', 'xlsx', { maxCells: 20 });
    await over('suppliers.csv', 'csv', { maxCells: 29 });
    // Exactly at the limits is fine.
    await parseDocument(fixture('handbook.pdf'), 'pdf', { ...LIMITS, maxPages: 3 });
    await parseDocument(fixture('suppliers.csv'), 'csv', { ...LIMITS, maxCells: 30 });
  });
});

describe('broken and protected files', () => {
  it('reports a password-protected PDF as encrypted and a scan as having no text layer', async () => {
    await assert.rejects(parseDocument(fixture('encrypted.pdf'), 'pdf', LIMITS), problem('encrypted_document'));
    await assert.rejects(parseDocument(fixture('scan.pdf'), 'pdf', LIMITS), problem('no_text_layer'));
  });

  for (const name of ['handbook.pdf', 'handbook.docx', 'deck.pptx', 'budget.xlsx']) {
    it(`reports ${name} truncated (at half, and by its last 10 bytes) as corrupt`, async () => {
      const bytes = fixture(name);
      const format = detectFormat(undefined, name, bytes)!;
      for (const cut of [bytes.subarray(0, bytes.length >> 1), bytes.subarray(0, bytes.length - 10)]) {
        assert.equal(detectFormat(undefined, name, cut), format);
        await assert.rejects(parseDocument(cut, format, LIMITS), problem('corrupt_document'));
      }
    });
  }

  it('reports random bytes named .pdf as corrupt, with or without an %%EOF', async () => {
    const random = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    for (const bytes of [random, Buffer.concat([random, Buffer.from('\n%%EOF\n')])]) {
      const format = detectFormat(undefined, 'report.pdf', bytes);
      assert.equal(format, 'pdf');
      await assert.rejects(parseDocument(bytes, format, LIMITS), problem('corrupt_document'));
    }
  });

  it('reports an OLE compound file named .docx as encrypted, a legacy .doc renamed as corrupt', async () => {
    const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const encrypted = Buffer.concat([header, Buffer.alloc(504), Buffer.from('EncryptionInfo', 'utf16le'), Buffer.alloc(512)]);
    for (const bytes of [header, encrypted]) {
      assert.equal(detectFormat(undefined, 'secret.docx', bytes), 'docx');
      await assert.rejects(parseDocument(bytes, 'docx', LIMITS), problem('encrypted_document'));
    }
    await assert.rejects(parseDocument(encrypted, 'xlsx', LIMITS), problem('encrypted_document'));
    const legacy = Buffer.concat([header, Buffer.alloc(504), Buffer.from('WordDocument', 'utf16le')]);
    await assert.rejects(parseDocument(legacy, 'docx', LIMITS), problem('corrupt_document'));
  });

  it('reports a zip that is not the Office format it claims, or damaged inside, as corrupt', async () => {
    const plainZip = zipSync({ 'notes.txt': strToU8('hello') });
    await assert.rejects(parseDocument(plainZip, 'docx', LIMITS), problem('corrupt_document'));
    await assert.rejects(parseDocument(plainZip, 'pptx', LIMITS), problem('corrupt_document'));
    await assert.rejects(parseDocument(plainZip, 'xlsx', LIMITS), problem('corrupt_document'));
    const damaged = fixture('handbook.docx').slice();
    damaged.fill(0x55, 800, 1600);
    await assert.rejects(parseDocument(damaged, 'docx', LIMITS), problem('corrupt_document'));
  });

  it('refuses XML parts that declare a document type (entity-expansion bombs)', async () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>';
    const files = unzipSync(fixture('budget.xlsx'));
    const withDoctype = (part: Uint8Array) => strToU8(laughs + Buffer.from(part).toString().replace(/^<\?xml[^>]*\?>/, ''));
    files['xl/sharedStrings.xml'] = withDoctype(files['xl/sharedStrings.xml']!);
    await assert.rejects(parseDocument(zipSync(files), 'xlsx', LIMITS), problem('corrupt_document'));
    const docx = unzipSync(fixture('handbook.docx'));
    docx['word/document.xml'] = withDoctype(docx['word/document.xml']!);
    await assert.rejects(parseDocument(zipSync(docx), 'docx', LIMITS), problem('corrupt_document'));
  });
});

describe('adversarial text', () => {
  const units = ['<', '<a', '[', '[a](', 'a.', '1-', '<!--', '<script>', '|', '#', '*', '_', '`', '> ', '1. ', '*a', '_a', '"', '&#', '<b>'];
  const formats: DocumentFormat[] = ['html', 'markdown', 'text', 'csv', 'json'];
  /** 50 ms per 10 KB, the budget the pipeline's parse timeout is sized from. */
  const MS_PER_KB = 5;

  /** Parses and chunks; returns the milliseconds taken. Only problems the caller can answer may be thrown. */
  async function timeParse(text: string, format: DocumentFormat): Promise<number> {
    const start = performance.now();
    try {
      const { blocks } = await parseDocument(new TextEncoder().encode(text), format, LIMITS);
      chunkBlocks(blocks, { maxTokens: 256, overlapTokens: 32 });
    } catch (error) {
      if (!(error instanceof ProblemError) || error.retryable) throw error;
    }
    return performance.now() - start;
  }

  it('parses and chunks 80 KB of each repeated unit within 50 ms per 10 KB', async () => {
    await timeParse('warm up '.repeat(1000), 'markdown');
    for (const unit of [...units, '`']) {
      const text = unit.repeat(Math.ceil((80 * 1024) / unit.length));
      for (const format of formats) {
        const ms = await timeParse(text, format);
        const message = `${format} on ${JSON.stringify(unit)}: ${ms.toFixed(0)} ms for ${text.length >> 10} KB`;
        assert.ok(ms <= MS_PER_KB * (text.length / 1024), message);
      }
    }
  });

  it('parses and chunks generated mixtures of those units within 50 ms per 10 KB', async () => {
    const piece = fc.constantFrom(...units, 'a', ' ', '\n', '\n\n', ']', ')', '>', '</a>', '-->');
    const mixture = fc.array(piece, { minLength: 2000, maxLength: 20_000, size: 'max' }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(mixture, fc.constantFrom(...formats), async (text, format) => {
        const ms = await timeParse(text, format);
        const kb = text.length / 1024;
        assert.ok(ms <= MS_PER_KB * Math.max(kb, 2), `${format}: ${ms.toFixed(0)} ms for ${kb.toFixed(0)} KB`);
      }),
      { numRuns: 60 },
    );
  });
});
