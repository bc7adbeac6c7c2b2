// OIDC bearer tokens at the query function's authenticator, against a real
// local issuer (discovery + JWKS over HTTP) and real RS256 signatures.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAuthenticator, hashKey } from '../../functions/query/authenticate.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { authConfig } from '../../shared/config/schemas.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { AUDIENCE, startTestIssuer, type TestIssuer } from '../support/oidc-issuer.ts';

let issuer: TestIssuer;
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const authenticatorFor = (env: Record<string, string>) => createAuthenticator(loadConfig(authConfig, { RAG_OIDC_ISSUER: issuer.issuer, RAG_OIDC_AUDIENCE: AUDIENCE, ...env }));

async function refusal(promise: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProblemError, String(error));
    return { code: error.code, status: error.status, message: error.message };
  }
  assert.fail('the token was accepted');
}

before(async () => {
  issuer = await startTestIssuer();
});
after(() => issuer?.close());

describe('OIDC bearer tokens', () => {
  it('accepts a valid token, found through discovery, and confines the caller to its tenant claim', async () => {
    const authenticate = authenticatorFor({});
    const identity = await authenticate(bearer(await issuer.sign({ sub: 'alice', tenant: 'tenant-a' })));
    assert.deepEqual(identity, { tenant: 'tenant-a', keyId: 'oidc:alice', groups: [] });
    await authenticate(bearer(await issuer.sign({ sub: 'bob', tenant: 'tenant-b' })));
    assert.equal(issuer.jwksFetches(), 1, 'the key set is cached');
  });

  it('reads the tenant and the groups from the configured claims, keeping only string groups', async () => {
    const authenticate = authenticatorFor({ RAG_OIDC_TENANT_CLAIM: 'org', RAG_OIDC_GROUPS_CLAIM: 'roles' });
    const identity = await authenticate(bearer(await issuer.sign({ sub: 'carol', org: 'acme', tenant: 'other', roles: ['hr', 7, '', 'finance'], groups: ['ignored'] })));
    assert.equal(identity.tenant, 'acme');
    assert.deepEqual(identity.groups, ['hr', 'finance']);
  });

  it('refuses expired, foreign, mis-addressed, unsigned and HMAC tokens with 401', async () => {
    const authenticate = authenticatorFor({});
    const claims = { sub: 'mallory', tenant: 'tenant-a' };
    const header = (alg: string) => Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ ...claims, iss: issuer.issuer, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
    const cases: [string, string, RegExp][] = [
      ['expired', await issuer.sign(claims, { expiresIn: Math.floor(Date.now() / 1000) - 60 }), /expired/],
      ['signed by another key', await issuer.signWithForeignKey(claims), /not valid/],
      ['for another audience', await issuer.sign(claims, { audience: 'some-other-service' }), /aud/],
      ['from another issuer', await issuer.sign(claims, { issuer: 'https://evil.example' }), /iss/],
      ['alg none', `${header('none')}.${payload}.`, /not valid/],
      ['HS256', `${header('HS256')}.${payload}.${Buffer.from('x').toString('base64url')}`, /not valid/],
      ['tampered payload', (await issuer.sign(claims)).replace(/\.[^.]+\./, `.${payload}.`), /not valid/],
    ];
    for (const [name, token, message] of cases) {
      const problem = await refusal(authenticate(bearer(token)));
      assert.equal(problem.status, 401, name);
      assert.match(problem.message, message, name);
    }
  });

  it('refuses with 403 a valid token without a usable tenant claim, and never honours "*" from a token', async () => {
    const authenticate = authenticatorFor({});
    for (const claims of [{ sub: 'dave' }, { sub: 'dave', tenant: '*' }, { sub: 'dave', tenant: 42 }, { sub: 'dave', tenant: '' }]) {
      assert.equal((await refusal(authenticate(bearer(await issuer.sign(claims))))).status, 403, JSON.stringify(claims));
    }
  });

  it('answers 503 while the issuer cannot be reached, and recovers without a restart', async () => {
    const down = await startTestIssuer();
    const port = Number(new URL(down.issuer).port);
    await down.close();
    const authenticate = createAuthenticator(loadConfig(authConfig, { RAG_OIDC_ISSUER: down.issuer, RAG_OIDC_AUDIENCE: AUDIENCE }));
    assert.equal((await refusal(authenticate(bearer(await down.sign({ sub: 'erin', tenant: 't' }))))).code, 'identity_provider_unavailable');
    const back = await startTestIssuer(port);
    try {
      assert.equal((await authenticate(bearer(await back.sign({ sub: 'erin', tenant: 't' })))).tenant, 't');
    } finally {
      await back.close();
    }
  });

  it('keeps API keys working beside tokens', async () => {
    const authenticate = authenticatorFor({ RAG_API_KEYS: `${hashKey('plain-key')}=tenant-k` });
    assert.deepEqual(await authenticate(bearer('plain-key')), { tenant: 'tenant-k', keyId: `key:${hashKey('plain-key').slice(0, 12)}`, groups: [] });
    assert.equal((await refusal(authenticate(bearer('not-a-key')))).status, 401);
  });

  it('refuses an issuer without an audience at start', () => {
    assert.throws(() => loadConfig(authConfig, { RAG_OIDC_ISSUER: issuer.issuer }), /RAG_OIDC_AUDIENCE/);
  });
});
