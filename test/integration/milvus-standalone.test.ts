// The second backend: the real Milvus 2.3 standalone server (PyPI `milvus`),
// which has no BM25. This file starts it itself (port 19531) unless
// RAGNATIVE_STANDALONE_MILVUS names one, and stops what it started. The whole
// chain works on it; a hybrid or keyword question is served by dense search
// with a notice saying why, never an error.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { NO_KEYWORD_FIELD } from '../../shared/milvus/chunk-search.ts';
import { readJson } from '../support/read-json.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';

const run = promisify(execFile);
const backend = (verb: 'start' | 'stop') =>
  run('bash', ['scripts/milvus-local.sh', verb], { env: { ...process.env, MILVUS_BACKEND: 'standalone' }, timeout: 600_000 });
const address = process.env.RAGNATIVE_STANDALONE_MILVUS ?? '127.0.0.1:19531';
let started = false;
let stack: TestStack;

before(async () => {
  if (!process.env.RAGNATIVE_STANDALONE_MILVUS) started = !(await backend('start')).stdout.includes('already running');
  stack = await startTestStack(18980, { MILVUS_ADDRESS: address });
  for (const [source, text] of [['harbour.md', 'Ferries leave the harbour at nine every morning.'], ['codes.md', 'Error E-4016 means the backup agent is not reachable.']]) {
    assert.equal((await postJson(`${stack.url}/v1/documents`, { source, text })).status, 200);
  }
}, { timeout: 660_000 });
after(async () => {
  await stack?.close();
  if (started) await backend('stop');
});

const ask = async (body: object) => {
  const response = await postJson(`${stack.url}/v1/query`, body);
  assert.equal(response.status, 200);
  return readJson(response);
};

describe('on Milvus 2.3 standalone (no BM25)', () => {
  it('serves questions by dense search, without a notice when none was asked for', async () => {
    const answer = await ask({ query: 'When do the ferries leave the harbour?' });
    assert.deepEqual(answer.retrieval, { mode: 'dense' });
    assert.equal(answer.citations[0].source, 'harbour.md');
  });

  it('serves a hybrid or keyword question by dense search, saying why', async () => {
    for (const mode of ['hybrid', 'keyword']) {
      const answer = await ask({ query: 'What does E-4016 mean?', retrieval: { mode } });
      assert.deepEqual(answer.retrieval, { mode: 'dense', requested: mode, notice: NO_KEYWORD_FIELD });
      assert.ok(answer.citations.length > 0);
    }
  });

  it('writes concurrent uploads in groups, replacing older versions', async () => {
    const upload = (i: number, version: string) => postJson(`${stack.url}/v1/documents`, { source: `batch-${i}.md`, text: `Note ${i}, ${version}: the depot in Bergen opens at ${i} o'clock.` });
    assert.deepEqual((await Promise.all([0, 1, 2, 3, 4, 5].map((i) => upload(i, 'first')))).map((r) => r.status), [200, 200, 200, 200, 200, 200]);
    const replaced = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => upload(i, 'second')));
    assert.deepEqual(replaced.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
    const ids = await Promise.all(replaced.map(async (r) => (await readJson(r)).id));
    const rows = await stack.milvus.query({ collection_name: (await readJson(await fetch(`${stack.url}/v1/documents/${ids[0]}`))).collection, filter: `doc_id in [${ids.map((id) => `"${id}"`).join(', ')}]`, output_fields: ['text'] });
    assert.equal(rows.data.length, 6);
    assert.ok(rows.data.every((r) => String(r.text).includes('second')), 'only the second versions are left');
    await Promise.all(ids.map((id) => fetch(`${stack.url}/v1/documents/${id}`, { method: 'DELETE' })));
  });

  it('lists and deletes documents there too', async () => {
    const { documents } = await readJson(await fetch(`${stack.url}/v1/documents`));
    assert.equal(documents.length, 2);
    const removed = await fetch(`${stack.url}/v1/documents/${documents[0].id}`, { method: 'DELETE' });
    assert.equal(removed.status, 200);
    assert.equal((await fetch(`${stack.url}/v1/documents/${documents[0].id}`)).status, 404);
  });
});
