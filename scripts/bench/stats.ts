/** Order statistics of a sample (nearest-rank percentiles). */
export function summarize(samples: number[]): { n: number; min: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { n: sorted.length, min: sorted[0]!, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted.at(-1)! };
}

export interface Figure {
  name: string;
  unit: string;
  value: number;
  params: Record<string, unknown>;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
