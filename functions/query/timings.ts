const round = (ms: number) => Math.round(ms * 10) / 10;

/** Wall-clock milliseconds per named step (summed over repeats), plus the total. */
export function createTimings() {
  const started = performance.now();
  const spent: Record<string, number> = {};
  return {
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
