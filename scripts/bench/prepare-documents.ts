// Document preparation (parse, redact, chunk) through the production worker
// pool, on generated documents: a text PDF of N pages and a DOCX of N sections.
// Run as its own process so that its peak RSS, and its worker's, are the
// preparation's alone: `node --import tsx scripts/bench/prepare-documents.ts
// <pages> <sections>` prints the figures as JSON.
import { loadConfig } from '../../shared/config/load-config.ts';
import { limitsConfig } from '../../shared/config/schemas.ts';
import { createDocumentPreparer } from '../../shared/documents/document-preparer.ts';
import { writeDocx } from '../fixtures/write-docx.ts';
import { writeTextPdf } from '../fixtures/write-text-pdf.ts';
import { childPids, highWaterMarkKiB } from './peak-rss.ts';
import { round, type Figure } from './stats.ts';

const PARAGRAPH = 'Calibration records are kept for every gauge; the reference standard is checked each spring against the national laboratory, and drift beyond the tolerance is reported to the quality team within a week.';

async function main(pages: number, sections: number): Promise<Figure[]> {
  const preparer = createDocumentPreparer(loadConfig(limitsConfig, { CHUNK_TOKENS: '200', CHUNK_OVERLAP_TOKENS: '30' }));
  await preparer.prepare({ bytes: Buffer.from('# warm\n\nup'), contentType: 'text/markdown', name: 'warm.md' }); // the worker's start is not measured
  const documents = [
    { format: 'pdf', unit: 'pages', count: pages, bytes: writeTextPdf(Array.from({ length: pages }, (_, i) => [`# Chapter ${i + 1}`, PARAGRAPH, PARAGRAPH, PARAGRAPH])) },
    { format: 'docx', unit: 'sections', count: sections, bytes: writeDocx(Array.from({ length: sections }, (_, i) => ({ heading: `Section ${i + 1}`, paragraphs: [PARAGRAPH, PARAGRAPH] }))) },
  ];
  const figures: Figure[] = [];
  for (const { format, unit, count, bytes } of documents) {
    const started = performance.now();
    const prepared = await preparer.prepare({ bytes, contentType: undefined, name: `bench.${format}` });
    const seconds = (performance.now() - started) / 1000;
    const params = { format, [unit]: count, megabytes: round(bytes.length / 2 ** 20, 2), chunks: prepared.chunks.length };
    figures.push({ name: 'prepare_throughput', unit: `${unit}/s`, value: round(count / seconds), params });
    figures.push({ name: 'prepare_seconds', unit: 's', value: round(seconds, 2), params });
  }
  // The worker is a process of its own: its peak beside the function's.
  const [worker] = childPids(process.pid, 'preparation-worker');
  const peaks = { function: await highWaterMarkKiB('self'), worker: worker === undefined ? Number.NaN : await highWaterMarkKiB(worker) };
  await preparer.close();
  for (const [process_, kib] of Object.entries(peaks)) figures.push({ name: 'prepare_peak_rss', unit: 'MiB', value: round(kib / 1024), params: { process: process_, pages, sections } });
  return figures;
}

const [pages = '500', sections = '2000'] = process.argv.slice(2);
console.log(JSON.stringify(await main(Number(pages), Number(sections))));
