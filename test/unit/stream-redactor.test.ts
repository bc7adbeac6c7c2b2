import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactPii } from '../../shared/text/redact-pii.ts';
import { createStreamRedactor } from '../../shared/text/stream-redactor.ts';

const ANSWER =
  'Write to jane.doe@example.com or call +44 20 7946 0958 about the refund; pay into GB82 WEST 1234 5698 7654 32 ' +
  'or by card 4111 1111 1111 1111. The office server is 10.20.30.40 and opening hours are 9 to 5 on weekdays, ' +
  'as the policy says [1].';

function streamIn(pieces: string[]): { text: string; emitted: string[]; counts: ReturnType<ReturnType<typeof createStreamRedactor>['end']> } {
  const emitted: string[] = [];
  const redactor = createStreamRedactor((text) => emitted.push(text));
  for (const piece of pieces) redactor.push(piece);
  const counts = redactor.end();
  return { text: emitted.join(''), emitted, counts };
}

test('a streamed answer is redacted exactly as the whole text would be, whatever the piece size', () => {
  const whole = redactPii(ANSWER);
  for (const size of [1, 2, 3, 5, 7, 11, 16, 40, 1000]) {
    const pieces = ANSWER.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
    const { text, emitted, counts } = streamIn(pieces);
    assert.equal(text, whole.text, `piece size ${size}`);
    assert.deepEqual(counts, whole.counts, `piece size ${size}`);
    for (const secret of ['jane.doe', '7946', '5698', '1111 1111', '10.20.30.40']) {
      assert.ok(!emitted.some((e) => e.includes(secret)), `piece size ${size} leaked ${secret}`);
    }
  }
  assert.deepEqual(whole.counts, { email: 1, phone: 1, iban: 1, card: 1, ip: 1 });
});

test('text is released while streaming, not only at the end', () => {
  const words = Array.from({ length: 60 }, (_, i) => `word${i} `);
  const { emitted, text } = streamIn(words);
  assert.ok(emitted.length > 5, `released in ${emitted.length} pieces`);
  assert.equal(text, words.join(''));
});

test('an answer without personal data passes through unchanged and counts nothing', () => {
  const { text, counts } = streamIn(['Refunds are paid ', 'within 14 days [1].']);
  assert.equal(text, 'Refunds are paid within 14 days [1].');
  assert.deepEqual(counts, {});
});
