// The playground, served by the public function at `/`: one HTML page, its
// script and its style sheet (functions/query/playground/, copied beside the
// bundle by `npm run build`). Public like /openapi.json: the page holds no data
// and sends the API key the user enters with each API call. Read on first
// request, so a cold start does not pay for them.
import { readFile } from 'node:fs/promises';
import type { Route } from './route-table.ts';

const DIR = new URL('./playground/', import.meta.url);
const ASSETS = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/playground/playground.js': { file: 'playground.js', type: 'text/javascript; charset=utf-8' },
  '/playground/playground.css': { file: 'playground.css', type: 'text/css; charset=utf-8' },
};

/** Only this origin's own files and API: no inline script, no framing. */
const PLAYGROUND_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export function playgroundRoutes(): Route[] {
  const cache = new Map<string, Promise<Buffer>>();
  return Object.entries(ASSETS).map(([path, { file, type }]) => ({
    method: 'GET' as const,
    path,
    access: 'public' as const,
    handle: async ({ res }) => {
      const body = cache.get(file) ?? readFile(new URL(file, DIR));
      cache.set(file, body);
      body.catch(() => cache.delete(file)); // read again next time rather than failing until a restart
      res.status(200).set({ ...PLAYGROUND_HEADERS, 'content-type': type }).send(await body);
    },
  }));
}
