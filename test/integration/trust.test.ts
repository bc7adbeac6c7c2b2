// The trust review's findings, each tried as an attacker would against the
// local stack with authentication on: one tenant cannot replace or delete
// another's document by naming its id or source, in either order; API writes
// cannot reach bucket documents (whose ordering tokens are another clock);
// crafted text cannot freeze a function; a huge unauthenticated body is refused
// before it is read; callbacks cannot reach inside; asynchronous questions are
// rate limited. Reports how many cases it tried.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hashKey } from '../../functions/query/authenticate.ts';
import { eventually } from '../support/eventually.ts';
import { objectDocId } from '../support/object-doc-id.ts';
import { readJson } from '../support/read-json.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';

const KEYS = { a: 'trust-key-tenant-a', b: 'trust-key-tenant-b', operator: 'trust-key-operator' };
let stack: TestStack;
const tried: Record<string, number> = {};
const count = (name: string, n = 1) => void (tried[name] = (tried[name] ?? 0) + n);

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const upload = async (key: string, body: object) => {
  const response = await postJson(`${stack.url}/v1/documents`, body, as(key));
  return { status: response.status, body: await readJson(response) };
};
const status = async (key: string, id: string) => {
  const response = await fetch(`${stack.url}/v1/documents/${encodeURIComponent(id)}`, { headers: as(key) });
  return response.status === 200 ? readJson(response) : undefined;
};
const remove = (key: string, id: string) => fetch(`${stack.url}/v1/documents/${encodeURIComponent(id)}`, { method: 'DELETE', headers: as(key) });
const cite = async (key: string, query: string) => {
  const response = await postJson(`${stack.url}/v1/query`, { query, topK: 5 }, as(key));
  assert.equal(response.status, 200);
  return ((await readJson(response)).citations as { docId: string; text: string }[]);
};
const rssKiB = async (pid: number) => Number(/^VmRSS:\s+(\d+) kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1]);

before(async () => {
  stack = await startTestStack(18930, {
    RAG_AUTH: 'required',
    RAG_API_KEYS: `${hashKey(KEYS.a)}=tenant-a;${hashKey(KEYS.b)}=tenant-b;${hashKey(KEYS.operator)}=*`,
    RAG_ASYNC_PER_MINUTE: '2',
    RAG_CALLBACK_ALLOW: '127.0.0.2/32', // an allowed receiver for the rate-limit case; 127.0.0.1 stays refused
    RAG_MAX_CONCURRENT_PER_KEY: '16',
    // Few, large chunks: the crafted texts' time is then their preparation's, not 80 KB of 60-token chunks embedded one batch at a time.
    CHUNK_TOKENS: '4000',
    CHUNKS_PER_EVENT: '64',
  });
});
after(async () => {
  console.log(`trust cases tried: ${JSON.stringify(tried)}, ${Object.values(tried).reduce((a, b) => a + b, 0)} in all`);
  await stack?.close();
});

describe('writes are bounded by tenant', () => {
  for (const [first, second] of [['a', 'b'], ['b', 'a']] as const) {
    it(`tenant ${second} naming tenant ${first}'s id or source makes its own document, in that order`, async () => {
      const tag = `${first}${second}`;
      const original = { id: `policy-${tag}`, source: `policies/${tag}.md`, text: `Tenant ${first} keeps invoices for seven years (${tag}).` };
      const made = await upload(KEYS[first], original);
      assert.equal(made.status, 200);
      // The same id, and the same source (which derives the same id), from the other tenant.
      const byId = await upload(KEYS[second], { ...original, text: `Tenant ${second} overwrote this (${tag}).` });
      const bySource = await upload(KEYS[second], { source: original.source, text: `Tenant ${second} wrote by source (${tag}).` });
      assert.deepEqual([byId.status, bySource.status], [200, 200]);
      assert.equal(byId.body.tenant, `tenant-${second}`);
      count('crossTenantWrites', 2);
      // Deleting "it" from the other tenant deletes only the other tenant's documents.
      assert.equal((await remove(KEYS[second], original.id)).status, 200);
      assert.equal((await remove(KEYS[second], bySource.body.id)).status, 200);
      count('crossTenantDeletes', 2);
      const kept = await status(KEYS[first], original.id);
      assert.deepEqual([kept?.version, kept?.tenant], [made.body.version, `tenant-${first}`]);
      const cited = await cite(KEYS[first], `invoices seven years ${tag}`);
      assert.ok(cited.some((c) => c.text.includes(`Tenant ${first} keeps invoices`)), 'the first tenant\'s text is still what is cited');
      assert.ok(!cited.some((c) => c.text.includes('overwrote')));
    });
  }

  it('an operator sees both tenants\' documents under the same id', async () => {
    const made = await upload(KEYS.a, { id: 'shared-name', source: 'x.md', text: 'Tenant a text about ferries.' });
    await upload(KEYS.b, { id: 'shared-name', source: 'x.md', text: 'Tenant b text about ferries.' });
    const ofA = await readJson(await fetch(`${stack.url}/v1/documents/shared-name?tenant=tenant-a`, { headers: as(KEYS.operator) }));
    const ofB = await readJson(await fetch(`${stack.url}/v1/documents/shared-name?tenant=tenant-b`, { headers: as(KEYS.operator) }));
    assert.deepEqual([ofA.tenant, ofA.version, ofB.tenant], ['tenant-a', made.body.version, 'tenant-b']);
    assert.notEqual(ofA.version, ofB.version);
    count('operatorTenants');
  });
});

describe('API writes cannot reach bucket documents', () => {
  it('refuses an obj- id over HTTP (400) and a DELETE of one (409), and a later bucket upload is not stale', async () => {
    const key = 'tenant-a/schedule.md';
    const id = objectDocId('local', key);
    await mkdir(join(stack.watchDir, 'tenant-a'), { recursive: true });
    await writeFile(join(stack.watchDir, key), 'Ferries leave the harbour at nine.');
    const first = await eventually(() => status(KEYS.a, id), 'the bucket file to be indexed');
    const overwrite = await upload(KEYS.a, { id, source: key, text: 'Ferries never leave.' });
    assert.deepEqual([overwrite.status, overwrite.body.code], [400, 'invalid_request']);
    const deleted = await remove(KEYS.a, id);
    assert.deepEqual([deleted.status, (await readJson(deleted)).code], [409, 'bucket_document']);
    count('bucketIds', 2);
    await writeFile(join(stack.watchDir, key), 'Ferries leave the harbour at ten from Monday.');
    const second = await eventually(async () => {
      const now = await status(KEYS.a, id);
      return now && now.version !== first.version ? now : undefined;
    }, 'the changed file to be indexed');
    assert.equal(second.tenant, 'tenant-a');
    count('bucketAfterApi');
  });
});

describe('crafted text cannot freeze a function', () => {
  const UNITS = ['a.', '1-', '1.', '<', '[', '](', '<!--', '<script>', '*', '_a', 'a@', '+1 ', '| ', '# ', '\t-'];

  it('answers 80 KB uploads of each crafted pattern promptly, /healthz staying responsive', async () => {
    for (const [i, unit] of UNITS.entries()) {
      const text = `${'word '.repeat(10)}${unit.repeat(Math.ceil(80_000 / unit.length))}`;
      for (const contentType of ['text/plain', 'text/markdown', 'text/html']) {
        let worstHealth = 0;
        let done = false;
        const probe = (async () => {
          while (!done) {
            const started = performance.now();
            await fetch(`${stack.url}/healthz`);
            worstHealth = Math.max(worstHealth, performance.now() - started);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        })();
        const started = performance.now();
        const result = await upload(KEYS.a, { source: `crafted/${i}.${contentType.split('/')[1]}`, text, contentType });
        const ms = performance.now() - started;
        done = true;
        await probe;
        assert.ok([200, 413, 422].includes(result.status), `${JSON.stringify(unit)} ${contentType}: ${result.status} ${JSON.stringify(result.body).slice(0, 200)}`);
        assert.ok(ms < 10_000, `${JSON.stringify(unit)} ${contentType} took ${ms.toFixed(0)} ms`);
        if (result.status === 200) assert.ok(result.body.timings.prepareMs < 2_000, `${JSON.stringify(unit)} ${contentType}: preparing took ${result.body.timings.prepareMs} ms`);
        assert.ok(worstHealth < 1_000, `/healthz waited ${worstHealth.toFixed(0)} ms during ${JSON.stringify(unit)} ${contentType}`);
        count('craftedUploads');
      }
    }
  });
});

describe('nothing big is read before the caller is known', () => {
  it('answers a 64 MB unauthenticated body with 401 or 413 within a second, without the body in memory', async () => {
    const pid = stack.pids().query!;
    const before = await rssKiB(pid);
    const body = new Uint8Array(64 * 1024 * 1024).fill(0x20);
    for (const path of ['/v1/query', '/v1/documents']) {
      const started = performance.now();
      const response = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch(() => undefined);
      const ms = performance.now() - started;
      // The server may answer and close before the client has sent everything: either is a refusal.
      if (response) assert.ok([401, 413].includes(response.status), `${path}: ${response.status}`);
      assert.ok(ms < 1_000, `${path} took ${ms.toFixed(0)} ms`);
      count('bigUnauthenticated');
    }
    const grown = (await rssKiB(pid)) - before;
    assert.ok(grown < 32 * 1024, `query's RSS grew ${Math.round(grown / 1024)} MiB`);
    assert.equal((await fetch(`${stack.url}/healthz`)).status, 200);
  });
});

describe('callbacks cannot reach inside', () => {
  it('refuses callback URLs to loopback, link-local metadata and private addresses with 422 callback_refused', async () => {
    const targets = ['http://127.0.0.1:9/x', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/x', 'http://10.0.0.5/x', 'http://localhost/x', 'http://metadata.google.internal/x', 'http://example.com:22/x', 'http://[::ffff:127.0.0.1]/x'];
    for (const callbackUrl of targets) {
      const response = await postJson(`${stack.url}/v1/query`, { query: 'ferries', callbackUrl }, as(KEYS.a));
      assert.equal(response.status, 422, callbackUrl);
      assert.equal((await response.json() as { code: string }).code, 'callback_refused', callbackUrl);
      count('callbacks');
    }
  });
});

describe('asynchronous questions are rate limited', () => {
  it('answers 429 with Retry-After past RAG_ASYNC_PER_MINUTE for a key, and not for another key', async () => {
    const ask = (key: string) => postJson(`${stack.url}/v1/query`, { query: 'ferries', callbackUrl: 'http://127.0.0.2:9/answers' }, as(key));
    assert.deepEqual([(await ask(KEYS.b)).status, (await ask(KEYS.b)).status], [202, 202]);
    const limited = await ask(KEYS.b);
    assert.equal(limited.status, 429);
    assert.equal((await readJson(limited)).code, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await ask(KEYS.a)).status, 202, 'another key has its own budget');
    count('asyncRate', 4);
  });
});
