// Real documents end to end: a folder of PDF, DOCX, PPTX, XLSX, CSV, HTML and
// Markdown files dropped into the watched bucket becomes answerable with page,
// section and sheet citations; bad files are reported (document.failed with a
// reason) and harm nothing; POST /v1/documents takes the file itself, raw or as
// multipart/form-data.
import assert from 'node:assert/strict';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { fixture } from '../support/documents.ts';
import { objectDocId } from '../support/object-doc-id.ts';
import { readJson } from '../support/read-json.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
const FIXTURES = new URL('../fixtures/documents/', import.meta.url);
const docIdOf = (key: string) => objectDocId('local', key);

const documentStatus = async (id: string) => {
  const response = await fetch(`${stack.url}/v1/documents/${encodeURIComponent(id)}`);
  return response.status === 200 ? readJson(response) : undefined;
};
const ask = async (query: string, filter: object = {}) => readJson(await postJson(`${stack.url}/v1/query`, { query, filter, topK: 3 }));
const failure = (docId: string) =>
  stack.events.find((r) => r.kind === 'received' && r.event.type === 'dev.ragnative.document.failed.v1' && r.event.subject === docId)?.event
    .data as { reason: string; detail: string } | undefined;

const postFile = (query: string, body: Uint8Array | string, contentType: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}/v1/documents?${query}`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });

before(async () => {
  stack = await startTestStack(18900);
});
after(() => stack?.close());

describe('a mixed folder dropped into the watched bucket', () => {
  const good = ['handbook.pdf', 'handbook.docx', 'deck.pptx', 'budget.xlsx', 'suppliers.csv', 'page.html', 'notes.md', 'partial-scan.pdf'];
  const bad = { 'scan.pdf': 'no_text_layer', 'encrypted.pdf': 'encrypted_document', 'truncated.docx': 'corrupt_document', 'notes.rtf': 'unsupported_media_type' };

  before(async () => {
    const folder = join(stack.watchDir, 'docs');
    await mkdir(folder, { recursive: true });
    for (const name of [...good, 'scan.pdf', 'encrypted.pdf']) await copyFile(new URL(name, FIXTURES), join(folder, name));
    await writeFile(join(folder, 'truncated.docx'), fixture('handbook.docx').subarray(0, 3000));
    await writeFile(join(folder, 'notes.rtf'), '{\\rtf1\\ansi Not a format ragnative reads.}');
  });

  it('indexes every readable file, each in the folder\'s tenant', async () => {
    for (const name of good) {
      const status = await eventually(() => documentStatus(docIdOf(`docs/${name}`)), `${name} to be indexed`);
      assert.equal(status.tenant, 'docs', name);
      assert.ok(status.chunks >= 1, name);
    }
  });

  it('reports each unreadable file with its reason, and indexes nothing of it', async () => {
    for (const [name, reason] of Object.entries(bad)) {
      const failed = await eventually(async () => failure(docIdOf(`docs/${name}`)), `${name} to fail`);
      assert.equal(failed.reason, reason, `${name}: ${failed.detail}`);
      assert.equal(await documentStatus(docIdOf(`docs/${name}`)), undefined, name);
    }
  });

  it('cites the PDF page and section that hold the answer', async () => {
    const id = docIdOf('docs/handbook.pdf');
    const answer = await ask('How many days after the trip may exceptions to refunds be claimed? within 41 days', { tenant: 'docs', docId: [id] });
    const cited = answer.citations.find((c: { text: string }) => c.text.includes('41 days'));
    assert.ok(cited, JSON.stringify(answer.citations));
    assert.equal(cited.page, 3);
    assert.match(cited.section, /Refunds › Exceptions/);
  });

  it('cites slides, sheets and headings where the format has them', async () => {
    const slide = (await ask('recall code HX-7731', { tenant: 'docs', docId: [docIdOf('docs/deck.pptx')] })).citations[0];
    assert.equal(slide.page, 2);
    assert.match(slide.text, /HX-7731/);
    const sheet = (await ask('Headcount', { tenant: 'docs', docId: [docIdOf('docs/budget.xlsx')] })).citations.map((c: { sheet?: string }) => c.sheet);
    assert.ok(sheet.includes('Headcount') && sheet.includes('Budget 2025'), JSON.stringify(sheet));
    const word = (await ask('within 41 days', { tenant: 'docs', docId: [docIdOf('docs/handbook.docx')] })).citations.find((c: { text: string }) => c.text.includes('41 days'));
    assert.equal(word.page, undefined);
    assert.match(word.section, /Refunds › Exceptions/);
  });

  it('repeats the table header in every chunk that holds rows of a Word table', async () => {
    const answer = await ask('Vehicle class rate per km petrol car engines', { tenant: 'docs', docId: [docIdOf('docs/handbook.docx')] });
    const tables = answer.citations.filter((c: { text: string }) => / \| /.test(c.text));
    assert.ok(tables.length >= 2, JSON.stringify(answer.citations));
    for (const { text } of tables) assert.match(text.split('\n').find((line: string) => / \| /.test(line)), /^Vehicle class \| Rate per km \| Notes$/);
  });
});

describe('POST /v1/documents with a file', () => {
  it('indexes a PDF sent as the body itself, reporting format, pages without text and chunks', async () => {
    const response = await postFile('source=manuals/handbook.pdf&tags=travel,policy', fixture('partial-scan.pdf'), 'application/pdf');
    const indexed = await readJson(response);
    assert.equal(response.status, 200, JSON.stringify(indexed));
    assert.equal(indexed.format, 'pdf');
    assert.deepEqual(indexed.warnings.map((w: { code: string }) => w.code), ['pages_without_text']);
    assert.ok(indexed.timings.prepareMs > 0 && indexed.timings.prepareMs < indexed.timings.totalMs);
    const cited = (await ask('within 41 days', { docId: [indexed.id] })).citations[0];
    assert.equal(cited.page, 3);
  });

  it('indexes a DOCX sent as multipart/form-data, its source defaulting to the file name', async () => {
    const form = new FormData();
    form.append('file', new Blob([fixture('handbook.docx')]), 'handbook.docx');
    form.append('groups', 'staff');
    const response = await fetch(`${stack.url}/v1/documents`, { method: 'POST', body: form });
    const indexed = await readJson(response);
    assert.equal(response.status, 200, JSON.stringify(indexed));
    assert.equal(indexed.format, 'docx');
    const status = await documentStatus(indexed.id);
    assert.equal(status.source, 'handbook.docx');
    assert.deepEqual(status.groups, ['staff']);
  });

  it('takes the file name from Content-Disposition and the format from the bytes', async () => {
    const response = await postFile('', fixture('deck.pptx'), 'application/octet-stream', { 'content-disposition': 'attachment; filename="deck.pptx"' });
    const indexed = await readJson(response);
    assert.equal(response.status, 200, JSON.stringify(indexed));
    assert.equal(indexed.format, 'pptx');
  });

  it('answers bad files with a clear 4xx and loses nothing already indexed', async () => {
    const source = 'source=kept/notes.md';
    const kept = await readJson(await postFile(source, fixture('notes.md'), 'text/markdown'));
    const cases: [string, Uint8Array | string, string, number, string][] = [
      [source, fixture('handbook.pdf').subarray(0, 2000), 'application/pdf', 422, 'corrupt_document'],
      [source, fixture('encrypted.pdf'), 'application/pdf', 422, 'encrypted_document'],
      [source, fixture('scan.pdf'), 'application/pdf', 422, 'no_text_layer'],
      [source, fixture('handbook.docx'), 'application/pdf', 422, 'corrupt_document'],
      ['source=kept/notes.rtf', '{\\rtf1 no}', 'application/rtf', 415, 'unsupported_media_type'],
      [source, '   \n\n  ', 'text/plain', 422, 'empty_document'],
      ['', fixture('notes.md'), 'text/markdown', 400, 'invalid_request'],
      [`${source}&color=red`, fixture('notes.md'), 'text/markdown', 400, 'invalid_request'],
    ];
    for (const [query, body, type, status, code] of cases) {
      const response = await postFile(query, body, type);
      const problem = await readJson(response);
      assert.deepEqual([response.status, problem.code], [status, code], `${type} ${query}: ${problem.detail}`);
    }
    const after = await documentStatus(kept.id);
    assert.deepEqual([after.version, after.chunks], [kept.version, kept.chunks]);
  });

  it('refuses a form without a file, with two files, or over MAX_DOCUMENT_BYTES', async () => {
    const noFile = new FormData();
    noFile.append('source', 'a.md');
    const two = new FormData();
    two.append('file', new Blob(['# one']), 'one.md');
    two.append('file', new Blob(['# two']), 'two.md');
    for (const form of [noFile, two]) {
      const response = await fetch(`${stack.url}/v1/documents`, { method: 'POST', body: form });
      assert.equal(response.status, 400, JSON.stringify(await readJson(response)));
    }
    const big = new Uint8Array(5 * 1024 * 1024 + 1).fill(0x61);
    const response = await postFile('source=big.txt', big, 'text/plain');
    assert.equal(response.status, 413);
    const bigForm = new FormData();
    bigForm.append('file', new Blob([big]), 'big.txt');
    const refused = await fetch(`${stack.url}/v1/documents`, { method: 'POST', body: bigForm });
    assert.deepEqual([refused.status, (await readJson(refused)).code], [413, 'payload_too_large']);
  });

  it('answers a multipart body cut off inside its file with 400, and stays up', async () => {
    const cut = '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello';
    for (const body of [cut, `${cut}\r\n--XX\r\nContent-Disposition: form-data; name="source"\r\n\r\nx`]) {
      const response = await fetch(`${stack.url}/v1/documents`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=XX' }, body });
      assert.deepEqual([response.status, (await readJson(response)).code], [400, 'invalid_request']);
    }
    assert.equal((await fetch(`${stack.url}/healthz`)).status, 200);
  });

  it('keeps a UTF-8 file name, and only its last part, as the default source', async () => {
    const form = new FormData();
    form.append('file', new Blob(['# Résumé\n\nNotes about the résumé.']), 'résumé.md');
    const viaForm = await readJson(await fetch(`${stack.url}/v1/documents`, { method: 'POST', body: form }));
    const viaBody = await readJson(await postFile('', '# Résumé\n\nNotes about the résumé.', 'text/markdown', { 'content-disposition': "attachment; filename*=UTF-8''..%2F..%2Fr%C3%A9sum%C3%A9.md" }));
    assert.equal((await documentStatus(viaForm.id)).source, 'résumé.md');
    assert.equal(viaBody.id, viaForm.id, 'the same file name names the same document, however it was sent');
  });
});
