import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { findEmails, redactPii } from '../../shared/text/redact-pii.ts';

describe('redactPii', () => {
  it('redacts each kind and counts it, keeping the rest of the text', () => {
    const text = [
      'Mail jane.doe+work@example.co.uk or call +33 6 12 34 56 78 / (555) 123-4567.',
      'Card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, SSN 123-45-6789, NI AB 12 34 56 C.',
      'Server 192.168.10.24 and 2001:0db8:85a3:0000:0000:8a2e:0370:7334 are down.',
    ].join('\n');
    const { text: redacted, counts } = redactPii(text);
    assert.deepEqual(counts, { email: 1, phone: 2, card: 1, iban: 1, national_id: 2, ip: 2 });
    for (const secret of ['jane.doe', '4111', 'WEST', '123-45-6789', '192.168', '8a2e', '12 34 56 78', '123-4567']) {
      assert.ok(!redacted.includes(secret), `${secret} survived`);
    }
    assert.match(redacted, /^Mail \[REDACTED:EMAIL\] or call \[REDACTED:PHONE\]/);
    assert.match(redacted, /are down\.$/);
  });

  it('leaves numbers that fail their checksum or look like ordinary figures', () => {
    const text = 'Order 4111 1111 1111 1112 shipped in 2024, version 1.2.3, total 1,250.00, IBAN GB00 WEST 1234 5698 7654 32.';
    const { text: redacted, counts } = redactPii(text);
    assert.deepEqual(counts, {});
    assert.equal(redacted, text);
  });
});

describe('findEmails', () => {
  /** The pattern the scan replaced: right, but quadratic on text like "a.a.a." (seconds for 80 KB). */
  const QUADRATIC = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;

  it('finds exactly what the regular expression it replaced found', () => {
    const unit = fc.constantFrom('a', 'Z', '1', '_', '.', '@', '-', '+', ' ', 'é', '<');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        const expected = [...text.matchAll(QUADRATIC)].map((m) => [m.index, m.index + m[0].length]);
        assert.deepEqual(findEmails(text), expected);
      }),
      { numRuns: 20_000, examples: [['a@a.a.-'], ['x.y@b.c-'], ['a@b-.c'], ['a@b.c+@d.e'], ['a@b.c+x@d.e'], ['x@y.org..@a.b'], ['a@b.c.@d.e']] },
    );
  });

  it('takes linear time on the texts that made the regular expression quadratic', () => {
    for (const unit of ['a.', '1-', '1.', 'a@', 'a.b@c', '@a.', 'a-@-a.']) {
      const text = unit.repeat(Math.ceil(80_000 / unit.length));
      const started = performance.now();
      redactPii(text);
      const ms = performance.now() - started;
      assert.ok(ms < 400, `${JSON.stringify(unit)} × 80 KB took ${ms.toFixed(0)} ms`);
    }
  });
});
