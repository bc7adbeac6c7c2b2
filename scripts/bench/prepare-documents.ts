// Document preparation (parse, redact, chunk) through the production worker
// pool, bundled as the images run it (dist/, from `npm run build`), on
// generated documents: a PDF of N pages with text and a 100 KB image on each
// (500 pages make about 50 MB) and a DOCX of N sections. Run as its own process
// so that its peak RSS, and its worker's, are the preparation's alone:
//   node --import tsx scripts/bench/prepare-documents.ts <dir> <pages> <sections>
// reads <dir>/bench.pdf and <dir>/bench.docx (writeBenchDocuments) and prints the
// figures as JSON.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../shared/config/load-config.ts';
import { limitsConfig } from '../../shared/config/schemas.ts';
import type { createDocumentPreparer as CreatePreparer } from '../../shared/documents/document-preparer.ts';
import { writeDocx } from '../fixtures/write-docx.ts';
import { writeTextPdf } from '../fixtures/write-text-pdf.ts';
import { childPids, highWaterMarkKiB } from './peak-rss.ts';
import { round, type Figure } from './stats.ts';

const PARAGRAPH = 'Calibration records are kept for every gauge; the reference standard is checked each spring against the national laboratory, and drift beyond the tolerance is reported to the quality team within a week.';
const BUNDLED = new URL('../../dist/document-preparer.js', import.meta.url).href;

export async function writeBenchDocuments(dir: string, pages: number, sections: number): Promise<void> {
  const pdf = writeTextPdf(Array.from({ length: pages }, (_, i) => [`# Chapter ${i + 1}`, PARAGRAPH, PARAGRAPH, PARAGRAPH]), { imageBytesPerPage: 100_000 });
  await writeFile(join(dir, 'bench.pdf'), pdf);
  await writeFile(join(dir, 'bench.docx'), writeDocx(Array.from({ length: sections }, (_, i) => ({ heading: `Section ${i + 1}`, paragraphs: [PARAGRAPH, PARAGRAPH] }))));
}

async function measure(dir: string, pages: number, sections: number): Promise<Figure[]> {
  const { createDocumentPreparer } = (await import(BUNDLED)) as { createDocumentPreparer: typeof CreatePreparer };
  const preparer = createDocumentPreparer(loadConfig(limitsConfig, { CHUNK_TOKENS: '200', CHUNK_OVERLAP_TOKENS: '30' }));
  await preparer.prepare({ bytes: Buffer.from('# warm\n\nup'), contentType: 'text/markdown', name: 'warm.md' }); // the worker's start is not measured
  const figures: Figure[] = [];
  for (const { format, unit, count } of [{ format: 'pdf', unit: 'pages', count: pages }, { format: 'docx', unit: 'sections', count: sections }]) {
    const bytes = await readFile(join(dir, `bench.${format}`)); // as a request body arrives: a Buffer
    const started = performance.now();
    const prepared = await preparer.prepare({ bytes, contentType: undefined, name: `bench.${format}` });
    const seconds = (performance.now() - started) / 1000;
    const params = { format, [unit]: count, megabytes: round(bytes.length / 2 ** 20, 2), chunks: prepared.chunks.length };
    figures.push({ name: 'prepare_throughput', unit: `${unit}/s`, value: round(count / seconds), params });
    figures.push({ name: 'prepare_seconds', unit: 's', value: round(seconds, 2), params });
  }
  // The worker is a process of its own: its peak beside the calling function's.
  const [worker] = childPids(process.pid, 'preparation-worker');
  const peaks = { function: await highWaterMarkKiB('self'), worker: worker === undefined ? Number.NaN : await highWaterMarkKiB(worker) };
  await preparer.close();
  for (const [process_, kib] of Object.entries(peaks)) figures.push({ name: 'prepare_peak_rss', unit: 'MiB', value: round(kib / 1024), params: { process: process_, pages, sections } });
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir = '.', pages = '500', sections = '2000'] = process.argv.slice(2);
  console.log(JSON.stringify(await measure(dir, Number(pages), Number(sections))));
}
