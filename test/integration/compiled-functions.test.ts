// The images run the functions bundled into dist/ (npm run build,
// scripts/build-functions.ts) rather than through tsx. Bundle them as the
// Dockerfiles do, start them from the bundle as the images' entrypoint does, and
// use them: a plain step, one that reaches Milvus and serves the playground, the embed function with the
// packages left out of the bundle (transformers.js, onnxruntime), and the
// document preparation workers, which the bundle starts from a file of its own.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { buildFunctions } from '../../scripts/build-functions.ts';
import { TEST_MODEL_DIR } from '../../scripts/models/make-test-model.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { limitsConfig } from '../../shared/config/schemas.ts';
import type { createDocumentPreparer as CreatePreparer } from '../../shared/documents/document-preparer.ts';
import { event, postEvent, replyEvent } from '../support/cloudevents.ts';
import { fixture } from '../support/documents.ts';
import { eventually } from '../support/eventually.ts';
import { MILVUS_ADDRESS } from '../support/test-stack.ts';

// Inside the repository, so that node_modules and package.json's "type": "module" apply as in the image.
const OUT = '.local/test-dist';
const children: ChildProcess[] = [];

function start(fn: string, port: number, env: Record<string, string> = {}): string {
  const child = spawn(process.execPath, [join(OUT, 'serve-function.js')], {
    env: { ...process.env, FUNCTION_TARGET: fn, PORT: String(port), MILVUS_ADDRESS, MILVUS_COLLECTION_PREFIX: 'compiled_test', METRICS_PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: 'ignore',
  });
  children.push(child);
  return `http://127.0.0.1:${port}`;
}

before(() => buildFunctions(OUT));
after(async () => {
  for (const child of children) child.kill('SIGTERM');
  await rm(OUT, { recursive: true, force: true });
});

describe('bundled functions', () => {
  it('build to JavaScript and serve events without tsx', async () => {
    const prompt = start('prompt', 18850);
    await eventually(async () => (await fetch(`${prompt}/healthz`).catch(() => undefined))?.ok || undefined, 'the compiled prompt function');
    const retrieved = { queryId: 'q-1', query: 'How long do refunds take?', topK: 3, filter: {}, model: 'm', retrieval: { mode: 'dense' }, passages: [{ id: 'd:v:s:0', docId: 'd', source: 'd.md', chunkIndex: 0, score: 0.9, text: 'Refunds take five days.' }] };
    const reply = await replyEvent(await postEvent(prompt, event('dev.ragnative.query.retrieved.v1', retrieved)));
    assert.equal(reply.type, 'dev.ragnative.prompt.built.v1');
    assert.match(reply.data.messages[1].content, /Refunds take five days/);
  });

  it('reach Milvus and publish their contract from the bundle', async () => {
    const query = start('query', 18851);
    await eventually(async () => (await fetch(`${query}/readyz`).catch(() => undefined))?.ok || undefined, 'the compiled query function to be ready');
    const openapi = (await (await fetch(`${query}/openapi.json`)).json()) as { openapi: string };
    assert.equal(openapi.openapi, '3.1.0');
    // The playground's files are copied beside the bundle and found from it.
    for (const [path, type] of [['/', 'text/html'], ['/playground/playground.js', 'text/javascript'], ['/playground/playground.css', 'text/css']]) {
      const response = await fetch(`${query}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', new RegExp(`^${type}`), path);
    }
  });

  it('embed with the model packages left outside the bundle', async () => {
    const embed = start('embed', 18852, { EMBED_MODEL: resolve(TEST_MODEL_DIR), EMBED_ALLOW_REMOTE: 'false' });
    await eventually(async () => (await fetch(`${embed}/readyz`).catch(() => undefined))?.ok || undefined, 'the bundled embed function to load its model');
    const received = { queryId: 'q-2', query: 'cats eat fish', topK: 3, filter: {} };
    const reply = await replyEvent(await postEvent(embed, event('dev.ragnative.query.received.v1', received)));
    assert.equal(reply.type, 'dev.ragnative.query.embedded.v1');
    assert.equal(reply.data.vector.length, 64);
  });

  it('prepare documents in the bundled worker processes', async () => {
    const { createDocumentPreparer } = (await import(pathToFileURL(resolve(OUT, 'document-preparer.js')).href)) as { createDocumentPreparer: typeof CreatePreparer };
    const preparer = createDocumentPreparer(loadConfig(limitsConfig, { CHUNK_TOKENS: '60', CHUNK_OVERLAP_TOKENS: '10' }));
    try {
      const pdf = await preparer.prepare({ bytes: Buffer.from(fixture('handbook.pdf')), contentType: 'application/pdf', name: 'handbook.pdf' });
      assert.ok(pdf.chunks.some((c) => c.text.includes('within 41 days') && c.page === 3), 'pdf.js, outside the bundle, parsed the PDF');
      const docx = await preparer.prepare({ bytes: fixture('handbook.docx'), contentType: undefined, name: 'handbook.docx' });
      assert.equal(docx.format, 'docx');
      assert.ok(docx.chunks.length > 0, 'mammoth, inside the bundle, parsed the DOCX');
    } finally {
      await preparer.close();
    }
  });
});
