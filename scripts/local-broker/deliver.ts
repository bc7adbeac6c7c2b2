// Delivers one event to one subscriber the way a Knative Broker does: binary
// mode, retries with backoff for retryable failures, and the reply event (a 2xx
// with a CloudEvent body) handed back for publishing.
import { HTTP, type CloudEventV1 } from 'cloudevents';
import { readEvent } from '../../shared/events/read-event.ts';
import { backoffMs, isRetryable, type DeliveryPolicy } from './delivery-policy.ts';
import type { Slots } from './service-slots.ts';

export type DeliveryResult =
  | { ok: true; reply: CloudEventV1<unknown> | undefined; attempts: number }
  | { ok: false; status: number | undefined; body: string; attempts: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function attempt(url: string, event: CloudEventV1<unknown>, timeoutMs: number, signal: AbortSignal) {
  const message = HTTP.binary(event);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: message.headers as Record<string, string>,
      body: typeof message.body === 'string' ? message.body : JSON.stringify(message.body),
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    const body = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, headers: Object.fromEntries(response.headers), body };
  } catch (error) {
    return { status: undefined, headers: {}, body: new TextEncoder().encode(String((error as Error).message)) };
  }
}

/**
 * Each attempt first waits for one of the subscriber's `slots` (its concurrency);
 * the timeout counts from when it is sent. An aborted `signal` (the broker
 * stopping) ends the delivery after the current attempt, unretried.
 */
export async function deliver(
  url: string,
  event: CloudEventV1<unknown>,
  policy: DeliveryPolicy,
  { timeoutMs = 60_000, signal = new AbortController().signal, slots }: { timeoutMs?: number; signal?: AbortSignal; slots?: Slots } = {},
): Promise<DeliveryResult> {
  for (let attempts = 1; ; attempts++) {
    const release = slots ? await slots.acquire(signal) : () => {};
    if (!release) return { ok: false, status: undefined, body: 'the broker stopped', attempts };
    const { status, headers, body } = await attempt(url, event, timeoutMs, signal).finally(release);
    if (status !== undefined && status >= 200 && status < 300) {
      const isEvent = body.length > 0 && ('ce-type' in headers || String(headers['content-type']).startsWith('application/cloudevents'));
      return { ok: true, reply: isEvent ? readEvent(headers, body) : undefined, attempts };
    }
    if (!isRetryable(status) || attempts > policy.retry || signal.aborted) {
      return { ok: false, status, body: new TextDecoder().decode(body).slice(0, 2_000), attempts };
    }
    await sleep(backoffMs(policy, attempts));
  }
}
