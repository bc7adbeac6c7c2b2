import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkText } from '../../shared/text/chunk-text.ts';
import { estimateTokens } from '../../shared/text/token-estimate.ts';

const paragraph = (n: number) => `Paragraph ${n} talks about topic ${n}. It has a second sentence with more words about topic ${n}.`;

describe('chunkText', () => {
  it('keeps a short text whole', () => {
    assert.deepEqual(chunkText('One short text.', { maxTokens: 50, overlapTokens: 5 }), ['One short text.']);
  });

  it('keeps every chunk within the token budget and loses no words', () => {
    const text = Array.from({ length: 40 }, (_, i) => paragraph(i)).join('\n\n');
    const chunks = chunkText(text, { maxTokens: 60, overlapTokens: 10 });
    assert.ok(chunks.length > 5);
    for (const chunk of chunks) assert.ok(estimateTokens(chunk) <= 60, `chunk of ${estimateTokens(chunk)} tokens`);
    const words = new Set(chunks.join(' ').split(/\s+/));
    for (const word of text.split(/\s+/)) assert.ok(words.has(word), `lost ${word}`);
  });

  it('overlaps neighbouring chunks', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    const chunks = chunkText(text, { maxTokens: 40, overlapTokens: 12 });
    for (let i = 1; i < chunks.length; i++) {
      const previousTail = chunks[i - 1]!.split('. ').at(-1)!.replace(/\.$/, '');
      assert.ok(chunks[i]!.includes(previousTail), `chunk ${i} does not start with the end of chunk ${i - 1}`);
    }
  });

  it('splits a long unbroken word by characters', () => {
    const chunks = chunkText('x'.repeat(1000), { maxTokens: 100, overlapTokens: 0 });
    assert.ok(chunks.length >= 3);
    assert.equal(chunks.join(''), 'x'.repeat(1000));
    for (const chunk of chunks) assert.ok(estimateTokens(chunk) <= 100);
  });

  it('is deterministic and drops blank pieces', () => {
    const text = `${paragraph(1)}\n\n\n\n${paragraph(2)}\r\n${paragraph(3)}`;
    const a = chunkText(text, { maxTokens: 30, overlapTokens: 5 });
    assert.deepEqual(a, chunkText(text, { maxTokens: 30, overlapTokens: 5 }));
    assert.ok(a.every((chunk) => chunk.trim() === chunk && chunk.length > 0));
  });
});
