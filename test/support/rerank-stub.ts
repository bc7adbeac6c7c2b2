// A local server speaking the common /rerank API in both shapes
// (text-embeddings-inference: POST /rerank; Cohere, Jina, Infinity: POST
// /v1/rerank), standing in for a cross-encoder service. It checks what it
// receives (recording any violation), and scores a text by how many of the
// query's words it contains, so a test knows which passage should win.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RerankStub {
  url: string;
  requests: { path: string; body: Record<string, unknown> }[];
  violations: string[];
  /** 'ok' answers, 'fail' answers 500, 'slow' answers after `slowMs`. */
  mode: 'ok' | 'fail' | 'slow';
  close(): Promise<void>;
}

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9-]+/g) ?? []);
export const stubScore = (query: string, text: string) => {
  const wanted = words(query);
  return [...words(text)].filter((w) => wanted.has(w)).length;
};

export async function startRerankStub(options: { apiKey?: string; model?: string; slowMs?: number } = {}): Promise<RerankStub> {
  const stub: Omit<RerankStub, 'url' | 'close'> = { requests: [], violations: [], mode: 'ok' };
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const part of req) raw += part;
    const path = req.url ?? '';
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw);
    } catch {
      stub.violations.push(`${path}: body is not JSON`);
    }
    stub.requests.push({ path, body });
    const check = (ok: boolean, what: string) => ok || stub.violations.push(`${path}: ${what}`);
    check(req.method === 'POST' && req.headers['content-type'] === 'application/json', 'POST application/json');
    if (options.apiKey) check(req.headers.authorization === `Bearer ${options.apiKey}`, 'bearer key');
    const tei = path === '/rerank';
    const texts = (tei ? body.texts : body.documents) as unknown;
    check(tei || path === '/v1/rerank', 'path /rerank or /v1/rerank');
    check(typeof body.query === 'string' && body.query.length > 0, 'a query');
    check(Array.isArray(texts) && texts.length > 0 && texts.every((t) => typeof t === 'string' && t.length > 0), 'texts (documents) as non-empty strings');
    if (!tei) check(body.model === options.model && body.top_n === (texts as unknown[]).length, 'model and top_n');
    if (stub.mode === 'fail') return void res.writeHead(500).end('{"error":"overloaded"}');
    if (stub.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 5_000));
    const scored = ((texts as string[]) ?? []).map((text, index) => ({ index, score: stubScore(String(body.query), text) })).sort((a, b) => b.score - a.score);
    const reply = tei ? scored : { results: scored.map(({ index, score }) => ({ index, relevance_score: score })) };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(stub, {
    url,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  });
}
