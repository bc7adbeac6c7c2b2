// Parses one CloudEvent from an HTTP request, binary or structured mode
// (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md).
// HTTP.toEvent is lenient and may return an array: batches are refused.
import { CloudEvent, HTTP, type CloudEventV1 } from 'cloudevents';
import { ProblemError } from '../errors/problem-error.ts';

export type IncomingHeaders = Record<string, string | string[] | undefined>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(raw: Uint8Array | undefined): string {
  if (!raw || raw.length === 0) return '';
  try {
    return utf8.decode(raw);
  } catch {
    throw new ProblemError('invalid_encoding', 'The body must be UTF-8 encoded text');
  }
}

function hasSenderId(envelope: string): boolean {
  try {
    const { id } = JSON.parse(envelope) as { id?: unknown };
    return typeof id === 'string' && id.length > 0;
  } catch {
    return false;
  }
}

export function readEvent(headers: IncomingHeaders, raw: Uint8Array | undefined): CloudEventV1<unknown> {
  const contentType = String(headers['content-type'] ?? '');
  if (contentType.startsWith('application/cloudevents-batch+json')) {
    throw new ProblemError('batch_not_supported', 'Send one CloudEvent per request');
  }
  const body = decodeUtf8(raw);
  let event: CloudEventV1<unknown> | CloudEventV1<unknown>[];
  try {
    event = HTTP.toEvent<unknown>({ headers, body });
  } catch (error) {
    throw new ProblemError('invalid_event', `Not a valid CloudEvent: ${(error as Error).message.slice(0, 200)}`);
  }
  if (Array.isArray(event)) throw new ProblemError('batch_not_supported', 'Send one CloudEvent per request');
  // In structured mode the SDK invents an id when the envelope has none; the spec requires the sender's.
  if (contentType.startsWith('application/cloudevents+json') && !hasSenderId(body)) throw new ProblemError('invalid_event', 'Not a valid CloudEvent: id is required');
  // toEvent does not check the required attributes; a handler must be able to rely on them.
  if (event.specversion !== '1.0') throw new ProblemError('invalid_event', 'Only CloudEvents 1.0 are accepted');
  try {
    (event instanceof CloudEvent ? event : new CloudEvent(event, false)).validate();
  } catch (error) {
    const detail = (error as { errors?: unknown[] }).errors ?? (error as Error).message;
    throw new ProblemError('invalid_event', `Not a valid CloudEvent: ${JSON.stringify(detail).slice(0, 300)}`);
  }
  return event;
}
