// The evaluation harness's metrics on hand-worked cases, and the shipped golden
// set against its own format and promises (sizes, relevance labels that exist).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadDataset } from '../../scripts/eval/dataset.ts';
import { ndcgAt, recallAt, reciprocalRankAt } from '../../scripts/eval/metrics.ts';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

describe('retrieval metrics', () => {
  const relevant = new Map([['a', 2], ['b', 1]]);

  it('count a document once, at the rank of its first passage', () => {
    const judged = { ranked: ['x', 'x', 'a', 'y', 'a', 'b'], relevant };
    close(recallAt(1, judged), 0);
    close(recallAt(2, judged), 0.5); // x, a
    close(recallAt(4, judged), 1); // x, a, y, b
    close(reciprocalRankAt(10, judged), 1 / 2);
    close(reciprocalRankAt(1, judged), 0);
  });

  it('compute nDCG with graded gains against the ideal order', () => {
    // ranks: x (0), a (gain 3 at rank 2), y, b (gain 1 at rank 4); ideal: a then b.
    const dcg = 3 / Math.log2(3) + 1 / Math.log2(5);
    const ideal = 3 / Math.log2(2) + 1 / Math.log2(3);
    close(ndcgAt(10, { ranked: ['x', 'a', 'y', 'b'], relevant }), dcg / ideal);
    close(ndcgAt(10, { ranked: ['a', 'b'], relevant }), 1);
    close(ndcgAt(10, { ranked: ['x', 'y'], relevant }), 0);
    close(ndcgAt(1, { ranked: ['b', 'a'], relevant }), 1 / 3);
  });
});

describe('the golden set', () => {
  it('holds at least 50 documents and 150 questions of each promised kind, every label pointing at a real passage', async () => {
    const set = await loadDataset('eval/datasets/ragnative-golden');
    assert.ok(set.documents.length >= 50, `${set.documents.length} documents`);
    assert.ok(set.questions.length >= 150, `${set.questions.length} questions`);
    const kinds = new Map<string, number>();
    for (const q of set.questions) kinds.set(q.kind, (kinds.get(q.kind) ?? 0) + 1);
    assert.deepEqual([...kinds.keys()].sort(), ['identifier', 'mixed', 'paraphrase']);
    assert.ok(set.questions.every((q) => q.relevant.every((r) => r.passage)), 'every label names its passage');
  });
});
