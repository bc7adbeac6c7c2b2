// The command line against the local stack, as a user runs it.
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const run = promisify(execFile);
let stack: TestStack;
let folder: string;

const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], {
    env: { ...process.env, RAGNATIVE_URL: stack.url, RAGNATIVE_BROKER_URL: stack.broker.url },
    timeout: 60_000,
  });

before(async () => {
  stack = await startTestStack(18540);
  folder = await mkdtemp(join(tmpdir(), 'ragnative-cli-'));
  await mkdir(join(folder, 'wiki'));
  await writeFile(join(folder, 'wiki', 'capitals.md'), '# Capitals\n\nBerlin is the capital of Germany.');
  await writeFile(join(folder, 'ocean.txt'), 'The ocean is blue and deep.');
  await writeFile(join(folder, 'image.png'), 'not text');
  await mkdir(join(folder, 'manuals'));
  await copyFile(new URL('../fixtures/documents/handbook.pdf', import.meta.url), join(folder, 'manuals', 'handbook.pdf'));
});
after(async () => {
  await stack?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('cli', () => {
  it('ingests a folder with progress, skipping what it cannot parse', async () => {
    const { stdout, stderr } = await cli('ingest', folder);
    assert.match(stdout, /indexed 3 of 3 files, \d+ chunks in [\d.]+ s \([\d.]+ docs\/s, \d+ chunks\/s\)/);
    assert.match(stderr, /\] 3\/3 · [\d.]+ docs\/s · \d+ chunks\/s · /);
    assert.match(stderr, /\] [12]\/3 · [\d.]+ docs\/s · \d+ chunks\/s · ETA \d+ s · /);
  });

  it('lists documents', async () => {
    const { stdout } = await cli('docs');
    assert.match(stdout, /default {2}wiki\/capitals\.md/);
    assert.match(stdout, /3 documents/);
  });

  it('streams an answer, then its citations', async () => {
    const { stdout } = await cli('ask', 'What is the capital of Germany?');
    assert.match(stdout, /^According to the documents, Capitals\n\nBerlin is the capital of Germany\. \[1\]\n\n\[1\] wiki\/capitals\.md, Capitals \(chunk 0\)\n/);
  });

  it('shows the page and section a PDF citation comes from', async () => {
    const { stdout } = await cli('ask', 'Exceptions to refunds: within 41 days');
    assert.match(stdout, /^\[\d\] manuals\/handbook\.pdf, page 3, Refunds › Exceptions \(chunk \d+\)$/m);
  });

  it('tails lifecycle events', async () => {
    const tail = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'tail'], { env: { ...process.env, RAGNATIVE_BROKER_URL: stack.broker.url } });
    try {
      let output = '';
      tail.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // let it connect
      await writeFile(join(stack.watchDir, 'tail-me.txt'), 'A lighthouse guides ships at night.');
      for (let i = 0; i < 100 && !output.includes('document.indexed'); i++) await new Promise((resolve) => setTimeout(resolve, 200));
      const line = JSON.parse(output.split('\n').find((l) => l.includes('document.indexed'))!);
      assert.equal(line.chunkCount, 1);
      assert.ok(!output.includes('lighthouse'), 'no document text in the tail');
    } finally {
      tail.kill();
    }
  });

  it('says clearly when the stack is not running', async () => {
    await assert.rejects(
      run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'docs'], { env: { ...process.env, RAGNATIVE_URL: 'http://127.0.0.1:9' } }),
      (error: { stderr: string; code: number }) => error.code === 1 && /cannot reach http:\/\/127\.0\.0\.1:9 \(is `npm start` running\?\)/.test(error.stderr),
    );
  });
});
