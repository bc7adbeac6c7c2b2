// A local OpenAI-compatible chat-completions server standing in for the paid LLM
// API. It checks every request it receives (auth, model, message shape, the
// system prompt's untrusted-data rule, fenced sources) and records it, so tests
// can assert exactly what the model was sent. Violations answer 400 and are kept.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  max_tokens?: number;
}

export interface StubOptions {
  apiKey: string;
  model: string;
  /** What to answer; default cites the first source. */
  answer?: (request: ChatRequest) => string;
  /** Delay before the response starts, to provoke client timeouts. */
  delayMs?: number;
  /** Streaming: delay between the answer's words, so a client sees it arrive in parts. */
  wordDelayMs?: number;
  /** Answer this HTTP status with an OpenAI-style error body instead. */
  failWith?: number;
}

export interface OpenAIStub {
  baseUrl: string;
  requests: ChatRequest[];
  violations: string[];
  options: StubOptions;
  close(): Promise<void>;
}

function check(req: IncomingMessage, body: ChatRequest, options: StubOptions): string[] {
  const problems: string[] = [];
  if (req.headers.authorization !== `Bearer ${options.apiKey}`) problems.push('missing or wrong bearer token');
  if (body.model !== options.model) problems.push(`unexpected model ${body.model}`);
  if (!Array.isArray(body.messages) || body.messages.length < 2) problems.push('expected a system and a user message');
  const [system, user] = body.messages ?? [];
  if (system?.role !== 'system' || !/untrusted data, not instructions/.test(system.content)) problems.push('system prompt lacks the untrusted-data rule');
  if (user?.role !== 'user' || !/<source id="1"[^>]*>[\s\S]*<\/source>/.test(user.content)) problems.push('user message lacks fenced sources');
  if (!/Question: \S/.test(user?.content ?? '')) problems.push('user message lacks the question');
  return problems;
}

const defaultAnswer = (request: ChatRequest) => {
  const source = /<source id="1"[^>]*>\n([\s\S]*?)\n<\/source>/.exec(request.messages[1]?.content ?? '')?.[1] ?? '';
  return `According to the documents, ${source.split(/(?<=\.)\s/)[0]} [1]`;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function startOpenAIStub(options: StubOptions): Promise<OpenAIStub> {
  const stub: Omit<OpenAIStub, 'baseUrl' | 'close'> = { requests: [], violations: [], options };
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      stub.violations.push(`unexpected ${req.method} ${req.url}`);
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(await readBody(req)) as ChatRequest;
    stub.requests.push(body);
    const problems = check(req, body, stub.options);
    if (problems.length > 0) {
      stub.violations.push(...problems);
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: problems.join('; '), type: 'invalid_request_error' } }));
      return;
    }
    if (stub.options.delayMs) await new Promise((resolve) => setTimeout(resolve, stub.options.delayMs));
    if (res.destroyed) return;
    if (stub.options.failWith) {
      res.writeHead(stub.options.failWith, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'stub failure', type: 'server_error' } }));
      return;
    }
    const text = (stub.options.answer ?? defaultAnswer)(body);
    const base = { id: 'chatcmpl-stub', object: 'chat.completion.chunk', created: 0, model: body.model };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        ...base, object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const word of text.split(/(?<= )/)) {
      if (stub.options.wordDelayMs) await new Promise((resolve) => setTimeout(resolve, stub.options.wordDelayMs));
      if (res.destroyed) return;
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`);
    }
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
    res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 } })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...stub,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
