// Stopping and starting the local stack over a bucket that already holds
// documents: the first requests after the stack says it is ready succeed, the
// files announced again at start cost no parsing, embedding or writes when they
// are unchanged, and what changed while the stack was down (a file edited, one
// added, one deleted) is applied.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { objectDocId } from '../support/object-doc-id.ts';
import { readJson } from '../support/read-json.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
const docIdOf = (key: string) => objectDocId('local', key);
const FILES: Record<string, string> = {
  'acme/lighthouse.md': '# Lighthouse\n\nThe keeper lights the lamp at dusk and logs the weather every hour.',
  'acme/harbour.txt': 'The harbour master assigns berths to arriving ships by tonnage.',
  'globex/ferry.md': '# Ferry\n\nThe ferry to the island leaves at seven and returns at noon.',
  'globex/customs.txt': 'Customs inspects every container that arrives from outside the union.',
  'orchard.txt': 'Apples are picked in September and stored in cold rooms until spring.',
};
const documentStatus = async (key: string) => {
  const response = await fetch(`${stack.url}/v1/documents/${docIdOf(key)}`);
  return response.status === 200 ? readJson(response) : undefined;
};
/** The documents whose chunks went to the embed step since the stack (re)started. */
const chunked = () => new Set(stack.events.filter((r) => r.kind === 'received' && r.event.type === 'dev.ragnative.document.chunked.v1').map((r) => r.event.subject));

before(async () => {
  stack = await startTestStack(18540);
});
after(() => stack?.close());

describe('restarting the local stack over a filled bucket', () => {
  it('indexes the bucket once', async () => {
    for (const [key, text] of Object.entries(FILES)) {
      await mkdir(join(stack.watchDir, key, '..'), { recursive: true });
      await writeFile(join(stack.watchDir, key), text);
    }
    for (const key of Object.keys(FILES)) await eventually(() => documentStatus(key), `${key} to be indexed`);
  });

  it('answers at once after the restart, re-ingests nothing unchanged, and applies what changed while it was down', async () => {
    const before = Object.fromEntries(await Promise.all(Object.keys(FILES).map(async (key) => [key, await documentStatus(key)] as const)));
    await stack.stop();
    await writeFile(join(stack.watchDir, 'acme/harbour.txt'), 'The harbour master assigns berths by draught, not tonnage, since the dredging.');
    await writeFile(join(stack.watchDir, 'acme/pilots.txt'), 'Pilots board inbound ships two miles beyond the breakwater.');
    await rm(join(stack.watchDir, 'globex/customs.txt'));

    await stack.restart();
    // The first requests after ready, while the bucket's start-up announcements flow.
    const answer = await postJson(`${stack.url}/v1/query`, { query: 'When does the keeper light the lamp?', filter: { tenant: 'acme' } });
    assert.equal(answer.status, 200, await answer.clone().text());
    assert.equal((await readJson(answer)).citations[0]?.docId, docIdOf('acme/lighthouse.md'));
    const listing = await fetch(`${stack.url}/v1/documents`);
    assert.equal(listing.status, 200);

    await eventually(async () => ((await documentStatus('globex/customs.txt')) === undefined) || undefined, 'the file deleted while down to be removed');
    const pilots = await eventually(() => documentStatus('acme/pilots.txt'), 'the file added while down to be indexed');
    assert.equal(pilots.tenant, 'acme');
    await eventually(async () => ((await documentStatus('acme/harbour.txt'))?.version !== before['acme/harbour.txt'].version) || undefined, 'the file edited while down to be indexed again');
    await stack.broker.idle();

    assert.deepEqual([...chunked()].sort(), [docIdOf('acme/harbour.txt'), docIdOf('acme/pilots.txt')].sort(), 'only the edited and the new file were parsed and embedded');
    for (const key of ['acme/lighthouse.md', 'globex/ferry.md', 'orchard.txt']) {
      assert.deepEqual(await documentStatus(key), before[key], `${key} is as it was`);
      assert.ok(stack.logs.some((line) => line.includes('ingest.unchanged') && line.includes(docIdOf(key))), `${key} was recognised as unchanged`);
    }
  });
});
