// The images run the functions compiled to JavaScript (npm run build,
// tsconfig.build.json) rather than through tsx. Build them as the Dockerfiles
// do, start two from dist/ as the images' entrypoint does, and use them.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { event, postEvent, replyEvent } from '../support/cloudevents.ts';
import { eventually } from '../support/eventually.ts';
import { MILVUS_ADDRESS } from '../support/test-stack.ts';

const run = promisify(execFile);
// Inside the repository, so that node_modules and package.json's "type": "module" apply as in the image.
const OUT = '.local/test-dist';
const children: ChildProcess[] = [];

function start(fn: string, port: number): string {
  const child = spawn(process.execPath, [join(OUT, 'shared/runtime/serve-function.js')], {
    env: { ...process.env, FUNCTION_TARGET: fn, PORT: String(port), MILVUS_ADDRESS, MILVUS_COLLECTION_PREFIX: 'compiled_test', METRICS_PORT: '0', LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  children.push(child);
  return `http://127.0.0.1:${port}`;
}

before(async () => {
  await rm(OUT, { recursive: true, force: true });
  await run(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', OUT], { timeout: 120_000 });
});
after(async () => {
  for (const child of children) child.kill('SIGTERM');
  await rm(OUT, { recursive: true, force: true });
});

describe('compiled functions', () => {
  it('build to JavaScript and serve events without tsx', async () => {
    const prompt = start('prompt', 18850);
    await eventually(async () => (await fetch(`${prompt}/healthz`).catch(() => undefined))?.ok || undefined, 'the compiled prompt function');
    const retrieved = { queryId: 'q-1', query: 'How long do refunds take?', topK: 3, filter: {}, model: 'm', retrieval: { mode: 'dense' }, passages: [{ id: 'd:v:s:0', docId: 'd', source: 'd.md', chunkIndex: 0, score: 0.9, text: 'Refunds take five days.' }] };
    const reply = await replyEvent(await postEvent(prompt, event('dev.ragnative.query.retrieved.v1', retrieved)));
    assert.equal(reply.type, 'dev.ragnative.prompt.built.v1');
    assert.match(reply.data.messages[1].content, /Refunds take five days/);
  });

  it('reach Milvus and publish their contract from dist/', async () => {
    const query = start('query', 18851);
    await eventually(async () => (await fetch(`${query}/readyz`).catch(() => undefined))?.ok || undefined, 'the compiled query function to be ready');
    const openapi = (await (await fetch(`${query}/openapi.json`)).json()) as { openapi: string };
    assert.equal(openapi.openapi, '3.1.0');
  });
});
