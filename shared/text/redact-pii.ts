// Redacts personal data before anything is embedded or stored. Each kind is
// replaced by a marker; only counts by kind are reported, never the values.
// Checksums keep false positives down: card numbers must pass Luhn, IBANs mod 97.
// Every detector runs in time linear in the text: the patterns are bounded, and
// email addresses (whose unbounded parts made a regular expression quadratic on
// text like "a.a.a." or "1-1-1-") are found by a scan outward from each "@".
export const PII_KINDS = ['email', 'iban', 'card', 'national_id', 'ip', 'phone'] as const;
export type PiiKind = (typeof PII_KINDS)[number];
export type PiiCounts = Partial<Record<PiiKind, number>>;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function ibanValid(iban: string): boolean {
  const compact = iban.replace(/\s/g, '').toUpperCase();
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  const numeric = rearranged.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder === 1;
}

const digitCount = (text: string) => text.replace(/\D/g, '').length;

const isWord = (c: string | undefined) => c !== undefined && /\w/.test(c);
const isLocal = (c: string | undefined) => c !== undefined && /[\w.+-]/.test(c);
const isLabel = (c: string | undefined) => c !== undefined && /[\w-]/.test(c);

/** Where each email address is, as [start, end) pairs, left to right. */
export function findEmails(text: string): [number, number][] {
  const found: [number, number][] = [];
  let floor = 0; // nothing before the end of the last match is scanned again
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', Math.max(at + 1, floor))) {
    let start = at;
    while (start > floor && isLocal(text[start - 1])) start--;
    // An address starts at a word boundary: where a word character meets a non-word one (or the text's start).
    while (start < at && isWord(text[start - 1]) === isWord(text[start])) start++;
    let end = at + 1;
    const dots: number[] = [];
    while (isLabel(text[end])) {
      while (isLabel(text[end])) end++;
      if (text[end] !== '.' || !isLabel(text[end + 1])) break;
      dots.push(end++);
    }
    while (end > at + 1 && !isWord(text[end - 1])) end--; // and ends at one
    while (dots.length > 0 && dots.at(-1)! >= end - 1) dots.pop(); // dots trimmed off, or now last
    if (start < at && dots.length > 0 && dots[0]! > at + 1) {
      found.push([start, end]);
      floor = end;
    }
  }
  return found;
}

function replaceEmails(text: string, counts: PiiCounts): string {
  let out = '';
  let last = 0;
  for (const [start, end] of findEmails(text)) {
    out += `${text.slice(last, start)}[REDACTED:EMAIL]`;
    counts.email = (counts.email ?? 0) + 1;
    last = end;
  }
  return out + text.slice(last);
}

const DETECTORS: { kind: PiiKind; pattern: RegExp; valid?: (match: string) => boolean }[] = [
  { kind: 'iban', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g, valid: ibanValid },
  { kind: 'card', pattern: /\b\d(?:[ -]?\d){12,18}\b/g, valid: (m) => luhn(m.replace(/\D/g, '')) },
  // US SSN and UK National Insurance numbers.
  { kind: 'national_id', pattern: /\b(?:\d{3}-\d{2}-\d{4}|[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D])\b/g },
  { kind: 'ip', pattern: /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b|\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:?){1,6}\b/gi },
  // International (+CC …), North American ((555) 123-4567) and trunk-0 national (06 12 34 56 78) forms.
  {
    kind: 'phone',
    pattern: /\+\d{1,3}[ .-]?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,5}\b|(?:\(\d{3}\)|\b\d{3})[ .-]?\d{3}[ .-]\d{4}\b|\b0\d(?:[ .-]?\d{2}){4}\b/g,
    valid: (m) => digitCount(m) >= 9 && digitCount(m) <= 15,
  },
];

/** Adds `more`'s counts into `total`. */
export function addPiiCounts(total: PiiCounts, more: PiiCounts): void {
  for (const kind of PII_KINDS) if (more[kind]) total[kind] = (total[kind] ?? 0) + more[kind];
}

export function redactPii(text: string): { text: string; counts: PiiCounts } {
  const counts: PiiCounts = {};
  let redacted = replaceEmails(text, counts);
  for (const { kind, pattern, valid } of DETECTORS) {
    redacted = redacted.replace(pattern, (match) => {
      if (valid && !valid(match)) return match;
      counts[kind] = (counts[kind] ?? 0) + 1;
      return `[REDACTED:${kind.toUpperCase()}]`;
    });
  }
  return { text: redacted, counts };
}
