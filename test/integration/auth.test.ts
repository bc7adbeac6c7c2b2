// Authentication and tenant isolation at the public URL: without a key or token
// nothing is answered; with tenant A's key or token nothing of tenant B's is
// ever read, cited, changed or listed, whatever the request says; concurrency
// per key is bounded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashKey } from '../../functions/query/authenticate.ts';
import { AUDIENCE, startTestIssuer, type TestIssuer } from '../support/oidc-issuer.ts';
import { readJson } from '../support/read-json.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';

const KEYS = { a: 'key-for-tenant-a', b: 'key-for-tenant-b', operator: 'key-for-operators', hr: 'key-for-tenant-a-hr' };
const RESTRICTED = { source: 'salaries.md', text: 'Tenant A salary bands: level three earns ninety thousand.', groups: ['hr'] };
let stack: TestStack;
let issuer: TestIssuer;
const docs: Record<string, string> = {};

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const get = (path: string, key?: string) => fetch(`${stack.url}${path}`, { headers: key ? as(key) : {} });
const ask = async (key: string, body: object) => {
  const response = await postJson(`${stack.url}/v1/query`, body, as(key));
  return { status: response.status, body: await readJson(response) };
};

before(async () => {
  issuer = await startTestIssuer();
  stack = await startTestStack(18550, {
    RAG_AUTH: 'required',
    RAG_OIDC_ISSUER: issuer.issuer,
    RAG_OIDC_AUDIENCE: AUDIENCE,
    RAG_API_KEYS: `${hashKey(KEYS.a)}=tenant-a;${hashKey(KEYS.b)}=tenant-b;${hashKey(KEYS.operator)}=*;${hashKey(KEYS.hr)}=tenant-a@hr,payroll`,
    RAG_MAX_CONCURRENT_PER_KEY: '2',
  });
  for (const [key, text] of [[KEYS.a, 'Tenant A pays refunds to the bank in five days.'], [KEYS.b, 'Tenant B pays refunds to the bank in ten days.']] as const) {
    const response = await postJson(`${stack.url}/v1/documents`, { source: `${key}.md`, text }, as(key));
    assert.equal(response.status, 200);
    docs[key] = (await readJson(response)).id;
  }
  const restricted = await postJson(`${stack.url}/v1/documents`, RESTRICTED, as(KEYS.hr));
  assert.equal(restricted.status, 200);
  docs.restricted = (await readJson(restricted)).id;
});
after(async () => {
  await stack?.close();
  await issuer?.close();
});

describe('authentication', () => {
  it('answers nothing without a valid key, and says how to authenticate', async () => {
    for (const headers of [{}, as('wrong-key'), { authorization: 'Basic abc' }]) {
      const response = await postJson(`${stack.url}/v1/query`, { query: 'refunds' }, headers);
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      assert.equal((await readJson(response)).code, 'unauthenticated');
    }
    assert.equal((await get(`/v1/documents/${docs[KEYS.a]}`)).status, 401);
    assert.equal((await fetch(`${stack.url}/v1/documents`, { method: 'DELETE' })).status, 405);
    assert.equal((await fetch(`${stack.url}/v1/documents/${docs[KEYS.a]}`, { method: 'DELETE' })).status, 401);
    assert.equal(stack.llm.requests.length, 0, 'nothing reached the model');
  });

  it('keeps probes and published contracts public', async () => {
    for (const path of ['/healthz', '/readyz', '/openapi.json', '/v1/events']) assert.equal((await get(path)).status, 200, path);
  });

  it('accepts the key as X-API-Key too', async () => {
    assert.equal((await fetch(`${stack.url}/v1/documents/${docs[KEYS.a]}`, { headers: { 'x-api-key': KEYS.a } })).status, 200);
  });
});

describe('tenant isolation', () => {
  it('never cites another tenant, whatever the filter asks', async () => {
    const plain = await ask(KEYS.a, { query: 'refunds to the bank' });
    assert.deepEqual(plain.body.citations.map((c: { docId: string }) => c.docId), [docs[KEYS.a]]);
    const widened = await ask(KEYS.a, { query: 'refunds to the bank', filter: { source: [`${KEYS.b}.md`], docId: [docs[KEYS.b]!] } });
    assert.deepEqual(widened.body.citations, []);
    const hostile = await ask(KEYS.a, { query: 'refunds', filter: { tags: ['x" || tenant != "tenant-a'] } });
    assert.deepEqual(hostile.body.citations, []);
    assert.equal((await ask(KEYS.a, { query: 'refunds', filter: { tenant: 'tenant-b' } })).status, 403);
    assert.ok(!stack.llm.requests.some((r) => r.messages[1]!.content.includes('ten days')), 'B\'s text never reached the model for A');
  });

  it('hides, protects and lists documents per tenant', async () => {
    assert.equal((await get(`/v1/documents/${docs[KEYS.b]}`, KEYS.a)).status, 404);
    assert.equal((await fetch(`${stack.url}/v1/documents/${docs[KEYS.b]}`, { method: 'DELETE', headers: as(KEYS.a) })).status, 404);
    assert.equal((await get(`/v1/documents/${docs[KEYS.b]}`, KEYS.b)).status, 200, 'B\'s document survived');
    const listed = await readJson(await get('/v1/documents', KEYS.a));
    assert.deepEqual(listed.documents.map((d: { id: string }) => d.id), [docs[KEYS.a]]);
    const all = await readJson(await get('/v1/documents', KEYS.operator));
    assert.deepEqual(all.documents.map((d: { id: string }) => d.id).sort(), [docs[KEYS.a], docs[KEYS.b], docs.restricted].sort());
  });

  it('writes only into the caller\'s tenant', async () => {
    const response = await postJson(`${stack.url}/v1/documents`, { source: 'x.md', text: 'x', tenant: 'tenant-b' }, as(KEYS.a));
    assert.equal(response.status, 403);
    assert.equal((await readJson(response)).code, 'forbidden');
  });
});

describe('document groups', () => {
  const cited = async (key: string, query: string) => (await ask(key, { query })).body.citations.map((c: { docId: string }) => c.docId);

  it('keep a restricted document from the rest of its tenant: not cited, not shown, not listed', async () => {
    assert.ok(!(await cited(KEYS.a, 'salary bands level three')).includes(docs.restricted));
    assert.equal((await get(`/v1/documents/${docs.restricted}`, KEYS.a)).status, 404);
    assert.equal((await fetch(`${stack.url}/v1/documents/${docs.restricted}`, { method: 'DELETE', headers: as(KEYS.a) })).status, 404);
    const listed = await readJson(await get('/v1/documents', KEYS.a));
    assert.ok(!listed.documents.some((d: { id: string }) => d.id === docs.restricted));
    assert.ok(!stack.llm.requests.some((r) => r.messages[1]!.content.includes('ninety thousand')), 'its text never reached the model');
  });

  it('let members of a group read it, by key or token, and operators', async () => {
    assert.equal((await cited(KEYS.hr, 'salary bands level three'))[0], docs.restricted);
    const shown = await readJson(await get(`/v1/documents/${docs.restricted}`, KEYS.hr));
    assert.deepEqual(shown.groups, ['hr']);
    assert.ok((await readJson(await get('/v1/documents', KEYS.hr))).documents.some((d: { id: string }) => d.id === docs.restricted));
    const member = await issuer.sign({ sub: 'hana', tenant: 'tenant-a', groups: ['payroll-admins', 'hr'] });
    assert.equal((await cited(member, 'salary bands level three'))[0], docs.restricted);
    const outsider = await issuer.sign({ sub: 'otto', tenant: 'tenant-a', groups: ['engineering'] });
    assert.ok(!(await cited(outsider, 'salary bands level three')).includes(docs.restricted));
    assert.equal((await get(`/v1/documents/${docs.restricted}?tenant=tenant-a`, KEYS.operator)).status, 200, 'an operator names the tenant');
    assert.equal((await get(`/v1/documents/${docs.restricted}`, KEYS.operator)).status, 404, 'the default tenant holds no such document');
  });

  it('bound writes: nobody restricts a document to a group it is not in, or replaces or deletes one it cannot read', async () => {
    const outsider = await postJson(`${stack.url}/v1/documents`, { ...RESTRICTED, source: 'other.md' }, as(KEYS.a));
    assert.equal(outsider.status, 403);
    assert.equal((await readJson(outsider)).code, 'forbidden');
    const replaced = await postJson(`${stack.url}/v1/documents`, { source: RESTRICTED.source, text: 'Tenant A salary bands were abolished.' }, as(KEYS.a));
    assert.equal(replaced.status, 403, 're-uploading the source of a document A cannot read');
    const byId = await postJson(`${stack.url}/v1/documents`, { id: docs.restricted, source: 'elsewhere.md', text: 'Overwritten.' }, as(KEYS.a));
    assert.equal(byId.status, 403, 'naming its id');
    assert.equal((await fetch(`${stack.url}/v1/documents/${docs.restricted}`, { method: 'DELETE', headers: as(KEYS.a) })).status, 404);
    const intact = await readJson(await get(`/v1/documents/${docs.restricted}`, KEYS.hr));
    assert.equal(intact.source, RESTRICTED.source);
    assert.equal((await cited(KEYS.hr, 'salary bands level three'))[0], docs.restricted, 'still answers from the original text');
  });

  it('cannot be widened by the request', async () => {
    const widened = await postJson(`${stack.url}/v1/query`, { query: 'salary bands', filter: { readerGroups: ['hr'] } }, as(KEYS.a));
    assert.equal(widened.status, 400);
    assert.ok(!(await cited(KEYS.a, 'salary bands level three" || groups != "')).includes(docs.restricted));
  });
});

describe('OIDC tokens at the public URL', () => {
  it('confine a token\'s holder to its tenant claim as a key would', async () => {
    const tokenA = await issuer.sign({ sub: 'alice', tenant: 'tenant-a' });
    const answer = await ask(tokenA, { query: 'refunds to the bank', filter: { source: [`${KEYS.b}.md`, `${KEYS.a}.md`] } });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.citations.map((c: { docId: string }) => c.docId), [docs[KEYS.a]]);
    assert.equal((await get(`/v1/documents/${docs[KEYS.b]}`, tokenA)).status, 404);
    assert.equal((await ask(tokenA, { query: 'refunds', filter: { tenant: 'tenant-b' } })).status, 403);
  });

  it('refuses a token from another issuer or for another audience', async () => {
    for (const token of [await issuer.sign({ sub: 'alice', tenant: 'tenant-a' }, { audience: 'elsewhere' }), await issuer.signWithForeignKey({ sub: 'alice', tenant: 'tenant-a' })]) {
      const response = await postJson(`${stack.url}/v1/query`, { query: 'refunds' }, as(token));
      assert.equal(response.status, 401);
      assert.equal((await readJson(response)).code, 'unauthenticated');
    }
  });
});

describe('limits', () => {
  it('answers 429 with Retry-After beyond the concurrent requests allowed per key', async () => {
    stack.llm.options.delayMs = 800;
    try {
      const responses = await Promise.all(Array.from({ length: 5 }, () => postJson(`${stack.url}/v1/query`, { query: 'refunds to the bank' }, as(KEYS.a))));
      const statuses = responses.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 200, 429, 429, 429]);
      const limited = responses.find((r) => r.status === 429)!;
      assert.equal(limited.headers.get('retry-after'), '1');
      assert.equal((await ask(KEYS.b, { query: 'refunds' })).status, 200, 'other keys are not affected');
    } finally {
      delete stack.llm.options.delayMs;
    }
  });
});
