// Hybrid fusion on hand-worked lists: reciprocal rank fusion by ranks alone, and
// the weighted fusion's min-max normalisation and convex combination.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Passage } from '../../shared/events/data-schemas.ts';
import { fuse } from '../../shared/milvus/rank-fusion.ts';

const passage = (id: string, route: 'dense' | 'keyword', score: number): Passage => ({ id, docId: `doc-${id}`, source: `${id}.md`, chunkIndex: 0, score, scores: { [route]: score }, text: id });
const dense = [passage('a', 'dense', 0.9), passage('b', 'dense', 0.7), passage('c', 'dense', 0.5)];
const keyword = [passage('c', 'keyword', 12), passage('d', 'keyword', 8), passage('a', 'keyword', 2)];
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

describe('rank fusion', () => {
  it('rrf adds 1/(k + rank) from each list, whatever the scores', () => {
    const fused = fuse(dense, keyword, { method: 'rrf', k: 60 }, 10);
    // a: 1/61 + 1/63, c: 1/63 + 1/61 (a tie, kept in insertion order), b: 1/62, d: 1/62.
    assert.deepEqual(fused.map((p) => p.id), ['a', 'c', 'b', 'd']);
    close(fused[0]!.score, 1 / 61 + 1 / 63);
    assert.deepEqual(fused[0]!.scores, { dense: 0.9, keyword: 2 }, 'a passage found by both keeps both scores');
  });

  it('weighted normalises each list to [0, 1] and combines them convexly', () => {
    const fused = fuse(dense, keyword, { method: 'weighted', keywordWeight: 0.3 }, 10);
    // dense: a 1, b 0.5, c 0; keyword: c 1, d 0.6, a 0.
    const expected = { a: 0.7 * 1 + 0.3 * 0, b: 0.7 * 0.5, c: 0.7 * 0 + 0.3 * 1, d: 0.3 * 0.6 };
    assert.deepEqual(fused.map((p) => p.id), ['a', 'b', 'c', 'd']);
    for (const p of fused) close(p.score, expected[p.id as keyof typeof expected]);
  });

  it('weighted lets a strong keyword match overtake where the keyword weight says so', () => {
    assert.equal(fuse(dense, keyword, { method: 'weighted', keywordWeight: 0.7 }, 10)[0]!.id, 'c');
    assert.equal(fuse(dense, keyword, { method: 'weighted', keywordWeight: 0 }, 10)[0]!.id, 'a');
  });

  it('keeps only the limit, and treats a list of equal scores (or one hit) as all best', () => {
    assert.equal(fuse(dense, keyword, { method: 'weighted', keywordWeight: 0.3 }, 2).length, 2);
    const flat = fuse([passage('x', 'dense', 0.4)], [passage('y', 'keyword', 3), passage('z', 'keyword', 3)], { method: 'weighted', keywordWeight: 0.5 }, 10);
    for (const p of flat) close(p.score, 0.5);
    assert.deepEqual(fuse([], [], { method: 'rrf', k: 60 }, 5), []);
  });
});
