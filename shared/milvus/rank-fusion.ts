// Fuses a dense (cosine) and a keyword (BM25) result list into one ranking.
// - weighted (the default): each list's scores are min-max normalised over its
//   own candidates, then combined convexly, keywordWeight × keyword + (1 −
//   keywordWeight) × dense (a passage missing from a list gets 0 there). Bruch,
//   Gai and Ingber, "An Analysis of Fusion Functions for Hybrid Retrieval" (ACM
//   TOIS 2023), found this beats RRF; on our golden set, with all-MiniLM-L6-v2,
//   it beats dense search alone where RRF does not (EVALUATION.md).
// - rrf (https://plg.uwaterloo.ca/~gvcormac/cormacksigir09-rrf.pdf) scores a
//   hit by 1/(k + rank) in each list it appears in; it needs no scores at all.
import type { Passage } from '../events/data-schemas.ts';

export type Fusion = { method: 'rrf'; k: number } | { method: 'weighted'; keywordWeight: number };
type Route = 'dense' | 'keyword';

/** Each passage's score in [0, 1] relative to the list's best and worst (1 when they are equal). */
function minMax(list: readonly Passage[], route: Route): Map<string, number> {
  const scores = list.map((passage) => passage.scores?.[route] ?? passage.score);
  const low = Math.min(...scores);
  const high = Math.max(...scores);
  return new Map(list.map((passage, i) => [passage.id, high > low ? (scores[i]! - low) / (high - low) : 1]));
}

/** `dense` and `keyword` are each ordered best first; a passage found by both keeps both scores. */
export function fuse(dense: readonly Passage[], keyword: readonly Passage[], fusion: Fusion, limit: number): Passage[] {
  const merged = new Map<string, { passage: Passage; fused: number }>();
  const add = (list: readonly Passage[], route: Route) => {
    const normalised = fusion.method === 'weighted' ? minMax(list, route) : undefined;
    const weight = fusion.method === 'weighted' ? (route === 'keyword' ? fusion.keywordWeight : 1 - fusion.keywordWeight) : 1;
    list.forEach((passage, rank) => {
      const routeScore = passage.scores?.[route] ?? passage.score;
      const contribution = fusion.method === 'rrf' ? 1 / (fusion.k + rank + 1) : weight * normalised!.get(passage.id)!;
      const seen = merged.get(passage.id);
      const scores = { ...seen?.passage.scores, [route]: routeScore };
      merged.set(passage.id, { passage: { ...(seen?.passage ?? passage), scores }, fused: (seen?.fused ?? 0) + contribution });
    });
  };
  add(dense, 'dense');
  add(keyword, 'keyword');
  return [...merged.values()]
    .sort((a, b) => b.fused - a.fused)
    .slice(0, limit)
    .map(({ passage, fused }) => ({ ...passage, score: fused }));
}
