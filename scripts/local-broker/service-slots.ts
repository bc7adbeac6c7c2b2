// Each Knative Service takes at most `containerConcurrency` requests per
// instance; its queue-proxy holds the rest until one finishes. Locally there is
// one instance per function, so the broker holds deliveries the same way rather
// than send a bulk load's thousand events at once (which would then time out
// while waiting and be retried: work done twice).
import type { Manifest } from '../knative-manifests.ts';

/** containerConcurrency of each Knative Service in the manifests (0, or none: unlimited). */
export function concurrencyOf(manifests: Manifest[]): Record<string, number> {
  return Object.fromEntries(
    manifests
      .filter((m) => m.kind === 'Service' && m.apiVersion.startsWith('serving.knative.dev/'))
      .map((m) => [m.metadata.name, (m.spec as { template?: { spec?: { containerConcurrency?: number } } })?.template?.spec?.containerConcurrency ?? 0]),
  );
}

export interface Slots {
  /** Waits for a free slot (first come, first served); resolves to its release, or undefined once `signal` aborts. */
  acquire(signal: AbortSignal): Promise<(() => void) | undefined>;
}

export function createSlots(limit: number): Slots {
  let busy = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    busy--;
    waiting.shift()?.();
  };
  return {
    async acquire(signal) {
      if (limit > 0 && busy >= limit) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            signal.removeEventListener('abort', giveUp);
            resolve();
          };
          const giveUp = () => {
            waiting.splice(waiting.indexOf(wake), 1);
            resolve();
          };
          waiting.push(wake);
          signal.addEventListener('abort', giveUp, { once: true });
        });
        if (signal.aborted) return undefined;
      } else if (signal.aborted) return undefined;
      busy++;
      let released = false;
      return () => {
        if (!released) (released = true), release();
      };
    },
  };
}
