// The preparation pool: documents are parsed, redacted and chunked in worker
// processes, off the event loop; one that takes too long or too much heap is
// refused (a permanent 413) and the pool goes on with the next; a worker lost
// for any other reason, or a full queue, is a retryable problem.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../shared/config/load-config.ts';
import { limitsConfig } from '../../shared/config/schemas.ts';
import { createDocumentPreparer, type DocumentPreparer } from '../../shared/documents/document-preparer.ts';
import { childPids } from '../../scripts/bench/peak-rss.ts';
import { writeTextPdf } from '../../scripts/fixtures/write-text-pdf.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { fixture, problem } from '../support/documents.ts';

const pools: DocumentPreparer[] = [];
const pool = (env: Record<string, string> = {}) => {
  const preparer = createDocumentPreparer(loadConfig(limitsConfig, { CHUNK_TOKENS: '60', CHUNK_OVERLAP_TOKENS: '10', ...env }));
  pools.push(preparer);
  return preparer;
};
after(() => Promise.all(pools.map((p) => p.close())));

/** This process's preparation workers. */
const workerPids = () => childPids(process.pid, 'preparation-worker');

const bigPdf = () => writeTextPdf(Array.from({ length: 400 }, (_, page) => [`# Chapter ${page + 1}`, 'The gauge is calibrated against the reference standard every spring. '.repeat(30)]));

describe('document preparer', () => {
  it('parses, redacts and chunks by structure, naming the version by the result', async () => {
    const preparer = pool();
    // A Node Buffer, as a request body or readFile gives it (IPC delivers it as a Buffer too; pdf.js refuses those).
    const input = { bytes: Buffer.from(fixture('handbook.pdf')), contentType: 'application/pdf', name: 'handbook.pdf' };
    const prepared = await preparer.prepare(input);
    assert.equal(prepared.format, 'pdf');
    assert.equal(prepared.contentType, 'application/pdf');
    const refunds = prepared.chunks.find((c) => c.text.includes('within 41 days'));
    assert.deepEqual([refunds?.page, refunds?.section], [3, 'Refunds › Exceptions']);
    assert.equal((await preparer.prepare(input)).version, prepared.version);

    const csv = 'Name,Contact\nHarbour Gear,orders@harbour.example.com\nCoast Depot,+44 20 7946 0958\n';
    const redacted = await preparer.prepare({ bytes: Buffer.from(csv), contentType: 'text/csv', name: 'contacts.csv' });
    assert.deepEqual(redacted.pii, { email: 1, phone: 1 });
    assert.doesNotMatch(redacted.chunks.map((c) => c.text).join('\n'), /harbour\.example|7946/);
    assert.match(redacted.chunks[0]!.text, /^Name \| Contact\n/);
  });

  it('answers each unreadable document with its problem', async () => {
    const preparer = pool();
    const cases = [
      [{ bytes: Buffer.from('{\\rtf1}'), contentType: 'application/rtf', name: 'a.rtf' }, 'unsupported_media_type'],
      [{ bytes: fixture('scan.pdf'), contentType: undefined, name: 'scan.pdf' }, 'no_text_layer'],
      [{ bytes: fixture('encrypted.pdf'), contentType: undefined, name: 'e.pdf' }, 'encrypted_document'],
      [{ bytes: fixture('handbook.docx').subarray(0, 4000), contentType: undefined, name: 'cut.docx' }, 'corrupt_document'],
      [{ bytes: Buffer.from(' \n \n'), contentType: 'text/plain', name: 'blank.txt' }, 'empty_document'],
    ] as const;
    for (const [input, code] of cases) await assert.rejects(preparer.prepare(input), problem(code), input.name);
  });

  it('keeps the event loop free while a large document is prepared', async () => {
    const preparer = pool();
    const pdf = bigPdf();
    await preparer.prepare({ bytes: fixture('notes.md'), contentType: undefined, name: 'warm.md' }); // the worker is started
    let worst = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 5);
    const prepared = await preparer.prepare({ bytes: pdf, contentType: 'application/pdf', name: 'big.pdf' });
    clearInterval(ticker);
    assert.ok(prepared.chunks.length > 400);
    assert.ok(worst < 250, `the event loop stalled ${worst.toFixed(0)} ms`);
  });

  it('refuses a document that takes longer than PREPARE_TIMEOUT_MS, then prepares the next', async () => {
    const preparer = pool({ PREPARE_TIMEOUT_MS: '300' });
    await preparer.prepare({ bytes: fixture('notes.md'), contentType: undefined, name: 'warm.md' });
    const started = performance.now();
    await assert.rejects(preparer.prepare({ bytes: bigPdf(), contentType: 'application/pdf', name: 'big.pdf' }), problem('document_too_complex'));
    assert.ok(performance.now() - started < 2_000);
    const next = await preparer.prepare({ bytes: fixture('notes.md'), contentType: undefined, name: 'notes.md' });
    assert.ok(next.chunks.length > 0);
  });

  it('refuses a document that needs more heap than PREPARE_MAX_HEAP_MB, then prepares the next', async () => {
    const preparer = pool({ PREPARE_MAX_HEAP_MB: '128', MAX_SHEET_CELLS: '10000000' });
    const rows = Array.from({ length: 400_000 }, (_, i) => `row ${i},cell ${i},value ${i * 7},note ${i % 13}`).join('\n');
    await assert.rejects(preparer.prepare({ bytes: Buffer.from(`a,b,c,d\n${rows}`), contentType: 'text/csv', name: 'huge.csv' }), problem('document_too_complex'));
    const next = await preparer.prepare({ bytes: fixture('suppliers.csv'), contentType: undefined, name: 'suppliers.csv' });
    assert.ok(next.chunks.length > 0);
  });

  it('prepares documents queued beyond PREPARE_WORKERS in turn', async () => {
    const others = new Set(workerPids()); // other tests' pools
    const preparer = pool({ PREPARE_WORKERS: '2' });
    const names = ['notes.md', 'page.html', 'suppliers.csv', 'handbook.docx', 'deck.pptx', 'budget.xlsx'];
    let most = 0;
    const counting = setInterval(() => (most = Math.max(most, workerPids().filter((pid) => !others.has(pid)).length)), 20);
    const prepared = await Promise.all(names.map((name) => preparer.prepare({ bytes: fixture(name), contentType: undefined, name })));
    clearInterval(counting);
    assert.deepEqual(prepared.map((p) => p.format), ['markdown', 'html', 'csv', 'docx', 'pptx', 'xlsx']);
    assert.ok(most >= 1 && most <= 2, `${most} workers at once`);
  });

  it('replaces a worker that died while idle, without blaming the next document', async () => {
    const others = new Set(workerPids());
    const preparer = pool();
    await preparer.prepare({ bytes: fixture('notes.md'), contentType: undefined, name: 'warm.md' });
    const [pid] = workerPids().filter((p) => !others.has(p));
    process.kill(pid!, 'SIGKILL');
    const next = await preparer.prepare({ bytes: fixture('page.html'), contentType: undefined, name: 'page.html' });
    assert.equal(next.format, 'html');
    assert.ok(!workerPids().includes(pid!));
  });

  it('refuses past PREPARE_QUEUE waiting documents with 429 and Retry-After, and drops one whose caller gave up', async () => {
    const preparer = pool({ PREPARE_QUEUE: '1' });
    const input = { bytes: fixture('notes.md'), contentType: undefined, name: 'notes.md' };
    const running = preparer.prepare(input);
    const abandoned = new AbortController();
    const waiting = preparer.prepare(input, abandoned.signal);
    await assert.rejects(preparer.prepare(input), (error: ProblemError) => error.code === 'rate_limited' && error.headers?.['retry-after'] === '5');
    abandoned.abort();
    await assert.rejects(waiting, problem('step_unavailable'));
    const third = preparer.prepare(input); // the queue has room again
    assert.ok((await running).chunks.length > 0 && (await third).chunks.length > 0);
  });

  it('answers a document in progress at close, and any later one, as retryable', async () => {
    const others = new Set(workerPids());
    const preparer = pool();
    await preparer.prepare({ bytes: fixture('notes.md'), contentType: undefined, name: 'warm.md' });
    const busy = preparer.prepare({ bytes: bigPdf(), contentType: 'application/pdf', name: 'big.pdf' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await preparer.close();
    await assert.rejects(busy, problem('step_unavailable'));
    await assert.rejects(preparer.prepare({ bytes: fixture('notes.md'), contentType: undefined, name: 'late.md' }), problem('step_unavailable'));
    assert.deepEqual(workerPids().filter((pid) => !others.has(pid)), []);
  });
});
