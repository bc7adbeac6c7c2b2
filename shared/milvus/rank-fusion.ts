// Fuses a dense (cosine) and a keyword (BM25) result list into one ranking.
// RRF (https://plg.uwaterloo.ca/~gvcormac/cormacksigir09-rrf.pdf) scores a hit
// by 1/(k + rank) in each list it appears in; it needs no score calibration.
// Weighted fusion first maps each score into [0, 1] the way Milvus' own
// WeightedRanker does (cosine: (1 + c) / 2; BM25: 2/π · atan(score)).
import type { Passage } from '../events/data-schemas.ts';

export type Fusion = { method: 'rrf'; k: number } | { method: 'weighted'; keywordWeight: number };

const normalised = {
  dense: (cosine: number) => (1 + cosine) / 2,
  keyword: (bm25: number) => (2 / Math.PI) * Math.atan(bm25),
};

/** `dense` and `keyword` are each ordered best first; a passage found by both keeps both scores. */
export function fuse(dense: readonly Passage[], keyword: readonly Passage[], fusion: Fusion, limit: number): Passage[] {
  const merged = new Map<string, { passage: Passage; fused: number }>();
  const add = (list: readonly Passage[], route: 'dense' | 'keyword') => {
    list.forEach((passage, rank) => {
      const routeScore = passage.scores?.[route] ?? passage.score;
      const contribution =
        fusion.method === 'rrf'
          ? 1 / (fusion.k + rank + 1)
          : (route === 'keyword' ? fusion.keywordWeight : 1 - fusion.keywordWeight) * normalised[route](routeScore);
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
