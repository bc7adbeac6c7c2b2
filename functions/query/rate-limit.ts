// Requests per minute per caller, as a token bucket: asynchronous questions
// return at once (the concurrency limit never sees them pile up) but each
// costs LLM tokens later. Beyond the rate: 429 with the seconds until the next
// token in Retry-After.
import { ProblemError } from '../../shared/errors/problem-error.ts';

export function createRateLimit(perMinute: number, now: () => number = Date.now) {
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(keyId: string): void {
      const time = now();
      const bucket = buckets.get(keyId) ?? { tokens: perMinute, at: time };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (time - bucket.at) * perMs);
      bucket.at = time;
      buckets.set(keyId, bucket);
      if (bucket.tokens < 1) {
        const seconds = Math.ceil((1 - bucket.tokens) / perMs / 1000);
        throw new ProblemError('rate_limited', `At most ${perMinute} asynchronous questions per minute per API key`, { headers: { 'retry-after': String(seconds) } });
      }
      bucket.tokens -= 1;
      if (buckets.size > 100_000) buckets.delete(buckets.keys().next().value!); // bounded: forget the oldest caller
    },
  };
}
