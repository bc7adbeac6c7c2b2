// Knative's delivery rules (eventing DeliverySpec): which failures are retried,
// and after how long.
import type { Manifest } from '../knative-manifests.ts';

export interface DeliveryPolicy {
  retry: number;
  backoffPolicy: 'linear' | 'exponential';
  backoffDelayMs: number;
}

/** Knative retries 5xx, 404, 408, 409, 429 and network errors; other 4xx are permanent. */
export function isRetryable(status: number | undefined): boolean {
  if (status === undefined) return true; // network error or timeout
  return status >= 500 || [404, 408, 409, 429].includes(status);
}

/** Delay before retry `attempt` (1-based): delay·2^(attempt-1) or delay·attempt. */
export function backoffMs(policy: DeliveryPolicy, attempt: number): number {
  return policy.backoffPolicy === 'exponential' ? policy.backoffDelayMs * 2 ** (attempt - 1) : policy.backoffDelayMs * attempt;
}

/** ISO-8601 durations as Knative writes them: PT0.2S, PT1M, PT1H2M3.5S. */
export function parseDuration(iso: string): number {
  const match = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso);
  if (!match || iso === 'PT') throw new Error(`unsupported ISO-8601 duration ${iso}`);
  const [, h = '0', m = '0', s = '0'] = match;
  return Math.round((Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000);
}

/** The Broker manifest's delivery spec, with Knative's defaults where it is silent. */
export function policyOf(broker: Manifest | undefined): DeliveryPolicy {
  const delivery = (broker?.spec?.delivery ?? {}) as { retry?: number; backoffPolicy?: 'linear' | 'exponential'; backoffDelay?: string };
  return {
    retry: delivery.retry ?? 10,
    backoffPolicy: delivery.backoffPolicy ?? 'exponential',
    backoffDelayMs: parseDuration(delivery.backoffDelay ?? 'PT0.2S'),
  };
}
