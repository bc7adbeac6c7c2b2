import { CloudEvent, HTTP } from 'cloudevents';
import { readJson } from './read-json.ts';

export const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

export function event(type: string, data: unknown, extra: Record<string, string> = {}): CloudEvent<unknown> {
  return new CloudEvent<unknown>({ type, source: '/test', subject: 'test-subject', datacontenttype: 'application/json', data, traceparent: TRACEPARENT, ...extra });
}

/** POSTs an event in binary (default) or structured mode. */
export function postEvent(url: string, ce: CloudEvent<unknown>, mode: 'binary' | 'structured' = 'binary', accept?: string): Promise<Response> {
  const message = mode === 'binary' ? HTTP.binary(ce) : HTTP.structured(ce);
  return fetch(url, {
    method: 'POST',
    headers: { ...(message.headers as Record<string, string>), ...(accept ? { accept } : {}) },
    body: message.body as string,
  });
}

/** Reads the reply event of a binary-mode response. */
export async function replyEvent(response: Response): Promise<{ type: string; data: any; headers: Headers }> {
  return { type: response.headers.get('ce-type') ?? '', data: await readJson(response), headers: response.headers };
}
