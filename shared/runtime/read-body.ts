// Reads a request body at most `maxBytes` long with the same body-parser chain
// functions-framework installs (CloudEvents JSON, JSON, text, URL-encoded, then
// raw for every other type), keeping `rawBody` as it does. Its own parsers,
// which run next with a 1 GiB limit, find the body already read and skip.
// A declared Content-Length over the limit is refused before a byte is read;
// a chunked body is cut off as soon as it passes the limit.
import bodyParser from 'body-parser';
import type { IncomingMessage, ServerResponse } from 'node:http';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

const saveRaw = (req: IncomingMessage, _res: ServerResponse, buf: Buffer) => {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buf;
};

function parsers(limit: number): Middleware[] {
  const common = { limit, verify: saveRaw };
  return [
    bodyParser.json({ ...common, type: 'application/cloudevents+json' }),
    bodyParser.json(common),
    bodyParser.text(common),
    bodyParser.urlencoded({ ...common, extended: true }),
    bodyParser.raw({ ...common, type: '*/*' }),
  ] as Middleware[];
}

const chains = new Map<number, Middleware[]>();

export async function readBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<void> {
  let chain = chains.get(maxBytes);
  if (!chain) chains.set(maxBytes, (chain = parsers(maxBytes)));
  for (const parse of chain) {
    await new Promise<void>((resolve, reject) => parse(req, res, (error) => (error ? reject(error) : resolve())));
  }
}
