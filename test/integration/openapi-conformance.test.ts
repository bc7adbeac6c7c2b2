// /openapi.json checked by a tool no one here wrote: Schemathesis (PyPI,
// installed by scripts/schemathesis-local.sh) generates requests from the
// document, sends them to the running query function with a key, and checks
// every response against it (status codes, content types, headers, schemas,
// Allow on 405, that invalid requests are refused and valid ones accepted).
// Any failure fails the test, with Schemathesis's own report.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { hashKey } from '../../functions/query/authenticate.ts';
import { postJson, startTestStack, type TestStack } from '../support/test-stack.ts';

const KEY = 'key-for-the-conformance-run';
let stack: TestStack;

function schemathesis(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['scripts/schemathesis-local.sh', 'st', '--config-file', 'test/fixtures/schemathesis.toml', 'run', ...args], { maxBuffer: 64 * 2 ** 20, timeout: 900_000, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

describe('OpenAPI conformance (Schemathesis)', { timeout: 900_000 }, () => {
  before(async () => {
    stack = await startTestStack(18580, { RAG_AUTH: 'required', RAG_API_KEYS: `${hashKey(KEY)}=tenant-conformance`, RAG_MAX_CONCURRENT_PER_KEY: '8' });
    const indexed = await postJson(`${stack.url}/v1/documents`, { source: 'refunds.md', text: 'Refunds are paid within 14 days.' }, { authorization: `Bearer ${KEY}` });
    assert.equal(indexed.status, 200);
  });
  after(() => stack?.close());

  it('finds no failure: every generated request is answered as /openapi.json says', async () => {
    const { code, output } = await schemathesis([
      `${stack.url}/openapi.json`,
      '--checks', 'all',
      '--header', `Authorization: Bearer ${KEY}`,
      '--max-examples', '25',
      '--workers', '1',
      '--seed', '20261208',
      '--request-timeout', '20',
    ]);
    const summary = output.split('\n').filter((line) => /passed|failed|error|generated|Test cases|Seed|Tip/i.test(line)).slice(-12).join('\n');
    console.log(summary);
    assert.equal(code, 0, output.slice(-6000));
    const cases = Number(/(\d+) generated/.exec(output)?.[1] ?? /Test cases:\s*(\d+)/.exec(output)?.[1] ?? 0);
    assert.ok(cases >= 100, `Schemathesis generated enough cases to mean something: ${cases}`);
  });
});
