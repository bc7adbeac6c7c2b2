// Server-sent events (https://html.spec.whatwg.org/multipage/server-sent-events.html).
import type { Response } from '@google-cloud/functions-framework';

export interface SseWriter {
  send(event: string, data: unknown): void;
  end(): void;
}

export function openSse(res: Response): SseWriter {
  res.status(200);
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache, no-transform');
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  return {
    send: (event, data) => void res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    end: () => void res.end(),
  };
}

export function acceptsEventStream(accept: string | undefined): boolean {
  return (accept ?? '').includes('text/event-stream');
}
