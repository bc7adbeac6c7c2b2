import { createServerTiming } from '../../shared/http/server-timing.ts';

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Wall-clock milliseconds per named step (summed over repeats), plus the total;
 * and, within a step, the work it reported waiting on (its Server-Timing):
 * `embedModelMs`, `searchMilvusMs`, `generateLlmMs`.
 */
export function createTimings() {
  const started = performance.now();
  const steps = createServerTiming();
  const reported: Record<string, number> = {};
  return {
    time: steps.time,
    /** A step's Server-Timing, as `<step><Name>Ms`. */
    reported: (step: string) => (durations: Record<string, number>) => {
      for (const [name, ms] of Object.entries(durations)) reported[`${step}${name[0]!.toUpperCase()}${name.slice(1)}Ms`] = round(ms);
    },
    done: () => ({
      ...Object.fromEntries(Object.entries(steps.durations()).map(([step, ms]) => [`${step}Ms`, round(ms)])),
      ...reported,
      totalMs: round(performance.now() - started),
    }),
  };
}
