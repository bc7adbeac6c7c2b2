// The local development API key: created once in .local/dev-api-key, bound to
// all tenants (`*`), used by `npm start` (which prints it) and by the CLI.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEV_KEY_FILE = fileURLToPath(new URL('../.local/dev-api-key', import.meta.url));

export async function readDevApiKey(): Promise<string | undefined> {
  return (await readFile(DEV_KEY_FILE, 'utf8').catch(() => undefined))?.trim() || undefined;
}

export async function devApiKey(): Promise<string> {
  const existing = await readDevApiKey();
  if (existing) return existing;
  const key = `rag_dev_${randomBytes(24).toString('base64url')}`;
  await mkdir(dirname(resolve(DEV_KEY_FILE)), { recursive: true });
  await writeFile(DEV_KEY_FILE, `${key}\n`, { mode: 0o600 });
  return key;
}
