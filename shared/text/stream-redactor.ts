// Redacts personal data in text that arrives in pieces (a streamed LLM answer)
// without letting a value slip out split across two pieces. Text is released
// only up to a whitespace boundary that leaves at least HOLD_CHARS behind, and
// only where redacting the released part agrees with redacting everything held
// so far; the rest waits for more text or the end.
import { addPiiCounts, redactPii, type PiiCounts } from './redact-pii.ts';

/** Longer than any value the detectors match that can contain whitespace (IBAN with spaces: 42). */
const HOLD_CHARS = 64;

export interface StreamRedactor {
  /** Takes the next piece; releases redacted text through `emit` when it is safe to. */
  push(piece: string): void;
  /** Releases what is held and returns the counts for the whole stream. */
  end(): PiiCounts;
}

export function createStreamRedactor(emit: (text: string) => void): StreamRedactor {
  let held = '';
  const counts: PiiCounts = {};
  const release = (raw: string) => {
    if (!raw) return;
    const redacted = redactPii(raw);
    addPiiCounts(counts, redacted.counts);
    emit(redacted.text);
  };
  return {
    push(piece) {
      held += piece;
      if (held.length <= HOLD_CHARS) return;
      const whole = redactPii(held).text;
      for (let cut = held.lastIndexOf(' ', held.length - HOLD_CHARS); cut > 0; cut = held.lastIndexOf(' ', cut - 1)) {
        const head = held.slice(0, cut + 1);
        if (whole.startsWith(redactPii(head).text)) {
          held = held.slice(cut + 1);
          release(head);
          return;
        }
      }
    },
    end() {
      release(held);
      held = '';
      return counts;
    },
  };
}
