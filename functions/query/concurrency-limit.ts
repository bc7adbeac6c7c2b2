// Concurrent requests per API key: beyond the limit, 429 with Retry-After, so one
// caller cannot take every slot of a scale-to-zero instance.
import { ProblemError } from '../../shared/errors/problem-error.ts';

export function createConcurrencyLimit(max: number) {
  const inFlight = new Map<string, number>();
  return {
    /** Takes a slot for the key, or throws rate_limited; call the returned release when done. */
    acquire(keyId: string): () => void {
      const current = inFlight.get(keyId) ?? 0;
      if (current >= max) throw new ProblemError('rate_limited', `At most ${max} concurrent requests per API key`);
      inFlight.set(keyId, current + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (inFlight.get(keyId) ?? 1) - 1;
        if (left === 0) inFlight.delete(keyId);
        else inFlight.set(keyId, left);
      };
    },
  };
}
