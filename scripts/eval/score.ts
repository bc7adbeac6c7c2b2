// Scores one configuration's answers to every question: the document metrics,
// passage hits and latency, overall and per question kind.
import type { EvalQuestion } from './dataset.ts';
import { mean, ndcgAt, percentile, reciprocalRankAt, recallAt } from './metrics.ts';
import type { Retrieved } from './retrieve.ts';

export interface Scores {
  questions: number;
  recallAt1: number;
  recallAt5: number;
  recallAt10: number;
  mrrAt10: number;
  ndcgAt10: number;
  /** Share of questions whose labelled passage is inside one of the first 5 chunks. */
  passageHitAt5: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

export function score(questions: readonly EvalQuestion[], answers: readonly Retrieved[]): Scores {
  const judged = questions.map((q, i) => ({ ranked: answers[i]!.passages.map((p) => p.docId), relevant: new Map(q.relevant.map((r) => [r.docId, r.grade])) }));
  const passageHit = questions.map((q, i) => {
    const top = answers[i]!.passages.slice(0, 5);
    return q.relevant.some((r) => r.passage !== undefined && top.some((p) => p.docId === r.docId && p.text.includes(r.passage!))) ? 1 : 0;
  });
  const latencies = answers.map((a) => a.ms);
  return {
    questions: questions.length,
    recallAt1: round(mean(judged.map((j) => recallAt(1, j)))),
    recallAt5: round(mean(judged.map((j) => recallAt(5, j)))),
    recallAt10: round(mean(judged.map((j) => recallAt(10, j)))),
    mrrAt10: round(mean(judged.map((j) => reciprocalRankAt(10, j)))),
    ndcgAt10: round(mean(judged.map((j) => ndcgAt(10, j)))),
    passageHitAt5: round(mean(passageHit)),
    latencyP50Ms: round(percentile(latencies, 50), 1),
    latencyP95Ms: round(percentile(latencies, 95), 1),
  };
}

export function scoreByKind(questions: readonly EvalQuestion[], answers: readonly Retrieved[]): Record<string, Scores> {
  const kinds = [...new Set(questions.map((q) => q.kind))].sort();
  return Object.fromEntries(kinds.map((kind) => {
    const indexes = questions.flatMap((q, i) => (q.kind === kind ? [i] : []));
    return [kind, score(indexes.map((i) => questions[i]!), indexes.map((i) => answers[i]!))];
  }));
}
