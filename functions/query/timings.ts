const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Wall-clock milliseconds per named step (summed over repeats), plus the total;
 * and, within a step, the work it reported waiting on (its Server-Timing):
 * `embedModelMs`, `searchMilvusMs`, `generateLlmMs`.
 */
export function createTimings() {
  const started = performance.now();
  const spent: Record<string, number> = {};
  return {
    /** A step's Server-Timing, as `<step><Name>Ms`. */
    reported: (step: string) => (durations: Record<string, number>) => {
      for (const [name, ms] of Object.entries(durations)) spent[`${step}${name[0]!.toUpperCase()}${name.slice(1)}Ms`] = round(ms);
    },
    async time<T>(step: string, work: () => Promise<T>): Promise<T> {
      const start = performance.now();
      try {
        return await work();
      } finally {
        spent[`${step}Ms`] = round((spent[`${step}Ms`] ?? 0) + performance.now() - start);
      }
    },
    done: () => ({ ...spent, totalMs: round(performance.now() - started) }),
  };
}
