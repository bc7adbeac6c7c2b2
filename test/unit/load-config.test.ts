import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../shared/config/load-config.ts';
import { authConfig, milvusConfig, openaiConfig, stepsConfig } from '../../shared/config/schemas.ts';

describe('loadConfig', () => {
  it('applies defaults', () => {
    assert.equal(loadConfig(milvusConfig, {}).MILVUS_ADDRESS, '127.0.0.1:19530');
    assert.equal(loadConfig(openaiConfig, {}).OPENAI_API_KEY, undefined);
  });

  it('names the bad variable but never echoes its value', () => {
    const secret = 'not a url with secret-token-123';
    assert.throws(
      () => loadConfig(openaiConfig, { OPENAI_BASE_URL: secret }),
      (error: unknown) => error instanceof ConfigError && /OPENAI_BASE_URL/.test(error.message) && !error.message.includes('secret-token-123'),
    );
  });

  it('rejects out-of-range numbers', () => {
    assert.throws(() => loadConfig(stepsConfig, { STEP_TIMEOUT_MS: '5' }), /STEP_TIMEOUT_MS/);
    assert.throws(() => loadConfig(milvusConfig, { MILVUS_COLLECTION_PREFIX: 'bad-prefix' }), /MILVUS_COLLECTION_PREFIX/);
  });

  it('reads API keys bound to a tenant, and optionally to reader groups', () => {
    const [a, b] = ['a'.repeat(64), 'b'.repeat(64)];
    assert.deepEqual(loadConfig(authConfig, { RAG_API_KEYS: `${a}=acme; ${b}=acme@hr, payroll` }).RAG_API_KEYS, [
      { hash: a, tenant: 'acme', groups: [] },
      { hash: b, tenant: 'acme', groups: ['hr', 'payroll'] },
    ]);
    for (const bad of [`${a}`, `${a}=`, 'short=acme', `${a}=ac@me@hr`]) assert.throws(() => loadConfig(authConfig, { RAG_API_KEYS: bad }), /RAG_API_KEYS/, bad);
  });
});
