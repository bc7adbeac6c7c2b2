// The CLI's ingest progress line: bar, rates and an ETA from the rate so far.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressLine } from '../../scripts/cli/ingest-folder.ts';

describe('ingest progress line', () => {
  it('shows only the bar before the first file is done', () => {
    assert.equal(progressLine({ done: 0, total: 4, chunks: 0, failed: 0, seconds: 0, last: '' }, 8), '[........] 0/4');
  });

  it('shows documents/s, chunks/s and the time left at the rate so far', () => {
    assert.equal(
      progressLine({ done: 250, total: 1000, chunks: 1500, failed: 0, seconds: 10, last: 'wiki/a.md' }, 8),
      '[##......] 250/1000 · 25.0 docs/s · 150 chunks/s · ETA 30 s · wiki/a.md',
    );
    assert.match(progressLine({ done: 10, total: 100_000, chunks: 60, failed: 0, seconds: 1, last: 'b.pdf' }), / · ETA 2 h 46 min · b\.pdf$/);
    assert.match(progressLine({ done: 100, total: 1000, chunks: 600, failed: 0, seconds: 10, last: 'c.md' }), / · ETA 1 min 30 s · c\.md$/);
  });

  it('drops the ETA when all are done', () => {
    assert.equal(progressLine({ done: 3, total: 3, chunks: 9, failed: 1, seconds: 2, last: 'x.md' }, 3), '[###] 3/3 · 1.5 docs/s · 5 chunks/s · x.md');
  });
});
