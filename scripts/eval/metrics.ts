// Retrieval metrics over a ranked list of passages, judged by document: a
// document counts at the rank of its first passage (later passages of the same
// document are not new results). Definitions as in TREC / BEIR:
// recall@k: relevant documents found in the first k, over all relevant;
// MRR@k: 1 / rank of the first relevant document (0 past k);
// nDCG@k: sum of (2^grade - 1) / log2(rank + 1), over the same for the ideal order.
export interface Judged {
  /** Document ids in ranked order, one per passage (repeats allowed). */
  ranked: readonly string[];
  /** Relevant document id -> grade (1 or more). */
  relevant: ReadonlyMap<string, number>;
}

export function documentRanking(ranked: readonly string[]): string[] {
  return [...new Set(ranked)];
}

export function recallAt(k: number, { ranked, relevant }: Judged): number {
  const top = documentRanking(ranked).slice(0, k);
  return top.filter((id) => relevant.has(id)).length / relevant.size;
}

export function reciprocalRankAt(k: number, { ranked, relevant }: Judged): number {
  const rank = documentRanking(ranked).slice(0, k).findIndex((id) => relevant.has(id));
  return rank === -1 ? 0 : 1 / (rank + 1);
}

export function ndcgAt(k: number, { ranked, relevant }: Judged): number {
  const gain = (grade: number, index: number) => (2 ** grade - 1) / Math.log2(index + 2);
  const dcg = documentRanking(ranked).slice(0, k).reduce((sum, id, i) => sum + gain(relevant.get(id) ?? 0, i), 0);
  const ideal = [...relevant.values()].sort((a, b) => b - a).slice(0, k).reduce((sum, grade, i) => sum + gain(grade, i), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

export const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
