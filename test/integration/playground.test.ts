// The playground page in a real headless Chromium (Debian's, driven by
// playwright-core; scripts/chromium-local.sh installs it): sign in with a key,
// upload a file, ask and watch the answer stream in with its citation cards,
// follow a citation, see the API's problems, delete the document; and an
// accessibility check (axe-core) with no serious violation. The screenshot is
// kept in test-results/playground.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { hashKey } from '../../functions/query/authenticate.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const KEY = 'key-for-the-playground';
const OPERATOR = 'key-for-the-playground-operator';
const REFUNDS = '# Refunds\n\nRefunds are paid to the original card within 14 days of the return.\n\nShipping costs are not refunded.';
// Longer than what the answer's redactor holds back while streaming (64 characters), so it arrives in parts.
const ANSWER = 'Refunds reach the original card within 14 days of the return [1]. Shipping costs are not refunded, so the amount paid back is the price of the goods alone, and a bank may take a few more days to show it [1].';
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let stack: TestStack;
let browser: Browser;
let page: Page;
/** Uncaught errors and CSP refusals in the page (evaluate() bypasses CSP, so the page's own code is what would hit it). */
const pageErrors: string[] = [];

async function documents(key = KEY): Promise<{ id: string; tenant: string }[]> {
  const response = await fetch(`${stack.url}/v1/documents`, { headers: { authorization: `Bearer ${key}` } });
  return ((await response.json()) as { documents: { id: string; tenant: string }[] }).documents;
}

async function useKey(key: string): Promise<void> {
  await page.fill('#api-key', key);
  await page.click('#key-form button[type=submit]');
  await page.getByText('Key in use for this tab.').waitFor();
}

async function ask(question: string): Promise<void> {
  await page.fill('#question', question);
  await page.click('#ask-button');
}

/** The browser scripts/chromium-local.sh installed or found; without one the suite is skipped, saying so, except in CI. */
const executablePath = (() => {
  try {
    return execFileSync('bash', ['scripts/chromium-local.sh', 'path'], { encoding: 'utf8' }).trim();
  } catch {
    if (process.env.RAGNATIVE_REQUIRE_BROWSER === '1') throw new Error('no Chromium, and RAGNATIVE_REQUIRE_BROWSER=1 (CI) requires one');
    return undefined;
  }
})();

describe('playground', { timeout: 180_000, skip: executablePath ? false : 'no Chromium found: run scripts/chromium-local.sh install or set CHROMIUM_PATH' }, () => {
  before(async () => {
    stack = await startTestStack(18570, { RAG_AUTH: 'required', RAG_API_KEYS: `${hashKey(KEY)}=tenant-play;${hashKey(OPERATOR)}=*` });
    stack.llm.options.answer = () => ANSWER;
    stack.llm.options.wordDelayMs = 20;
    browser = await chromium.launch({ executablePath: executablePath!, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) pageErrors.push(message.text());
    });
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('serves a self-contained page: its own script and styles only, under a strict CSP', async () => {
    const response = await fetch(`${stack.url}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await response.text();
    assert.doesNotMatch(html, /https?:\/\//, 'nothing from another origin');
    for (const asset of ['/playground/playground.js', '/playground/playground.css']) {
      assert.ok(html.includes(asset));
      assert.equal((await fetch(`${stack.url}${asset}`)).status, 200, asset);
    }
  });

  it('shows the API problem when asked without a key', async () => {
    await page.goto(`${stack.url}/`);
    await page.getByText('No key:').waitFor();
    await ask('How long do refunds take?');
    const problem = page.locator('#problem');
    await problem.waitFor({ state: 'visible' });
    assert.match(await problem.textContent() ?? '', /\(401 unauthenticated\)/);
  });

  it('uploads a file with a key, and lists it as indexed', async () => {
    await useKey(KEY);
    assert.equal(await page.inputValue('#api-key'), '', 'the key is not left in the field');
    await page.setInputFiles('#file-input', { name: 'refunds.md', mimeType: 'text/markdown', buffer: Buffer.from(REFUNDS) });
    await page.locator('#uploads li', { hasText: 'refunds.md' }).getByText(/indexed: \d+ chunks?/).waitFor();
    await page.locator('#document-table tbody tr', { hasText: 'refunds.md' }).waitFor();
    assert.equal((await documents()).length, 1);
  });

  it('shows why an upload failed', async () => {
    await page.setInputFiles('#file-input', { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.from('   ') });
    const failed = page.locator('#uploads li.failed', { hasText: 'empty.txt' });
    await failed.waitFor();
    assert.match(await failed.textContent() ?? '', /failed: .*\(4\d\d [a-z_]+\)/);
  });

  it('streams the answer in parts, with citation cards that a citation link highlights', async () => {
    // Browser-side code as strings: the tests are type-checked without the DOM's types.
    await page.evaluate(`{
      const answer = document.getElementById('answer');
      window.seen = [];
      new MutationObserver(() => window.seen.push(answer.textContent)).observe(answer, { childList: true, subtree: true, characterData: true });
    }`);
    await page.selectOption('#mode', 'dense');
    await ask('How long do refunds take?');
    await page.locator('#timings dt', { hasText: 'totalMs' }).waitFor();
    const answer = await page.textContent('#answer');
    assert.equal(answer, ANSWER);
    const seen = await page.evaluate<string[]>('window.seen');
    const partial = new Set(seen.filter((text) => text.length > 0 && text !== answer));
    assert.ok(partial.size >= 3, `the answer arrived in parts: ${[...partial].join(' | ')}`);
    const card = page.locator('#citation-1');
    assert.match(await card.textContent() ?? '', /refunds\.md.*score \d\.\d{3}.*Refunds are paid to the original card within 14 days/s);
    assert.match(await page.textContent('#answer-meta') ?? '', /dense retrieval/);
    await page.click('#answer a.cite');
    assert.match(await card.getAttribute('class') ?? '', /\bhighlight\b/);
    assert.equal(await page.evaluate('document.activeElement.id'), 'citation-1', 'the card takes the focus');
    const sent = stack.llm.requests.at(-1)!;
    assert.ok(sent.stream, 'the LLM was asked to stream');
  });

  it('has no serious accessibility violation (axe-core), and keeps a screenshot', async () => {
    await page.evaluate(axeSource);
    const violations = await page.evaluate<{ id: string; impact: string; nodes: number }[]>(`
      axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
        .then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))
    `);
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious, [], JSON.stringify(violations));
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/playground.png', fullPage: true });
  });

  it('deletes the document of the tenant its row shows, and nothing of another tenant', async () => {
    // An operator sees every tenant; the same source in tenant "default" has the same id.
    const same = await fetch(`${stack.url}/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' }, body: JSON.stringify({ source: 'refunds.md', text: REFUNDS, tenant: 'default' }) });
    assert.equal(same.status, 200);
    await useKey(OPERATOR);
    await page.click('#refresh');
    await page.getByRole('button', { name: 'Delete refunds.md in default' }).waitFor();
    await page.getByRole('button', { name: 'Delete refunds.md in tenant-play' }).click();
    await page.getByRole('button', { name: 'Delete refunds.md in tenant-play' }).waitFor({ state: 'detached' });
    assert.deepEqual(await documents(), [], 'gone from tenant-play');
    assert.deepEqual((await documents(OPERATOR)).map((d) => d.tenant), ['default'], 'the other tenant\'s document stays');
    assert.equal(await page.evaluate('document.activeElement.id'), 'refresh', 'the focus moves on, not to the page');
    assert.deepEqual(pageErrors, [], 'no uncaught error and no CSP refusal in the page');
  });
});
