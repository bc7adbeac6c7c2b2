// The text sent to BM25 search: the question's words without English function
// words, so that a keyword hit means a content word matched (the analyzer that
// every keyword-capable server has, `standard`, keeps stop words). Undefined
// when nothing is left to search for.
const STOP_WORDS = new Set(
  ('a about above after again all am an and any are as at be because been before being below between both but by can could ' +
    'did do does doing down during each few for from further had has have having he her here hers him his how i if in into is it ' +
    'its itself just me more most my no nor not now of off on once only or other our ours out over own same she should so some ' +
    'such than that the their theirs them then there these they this those through to too under until up very was we were what ' +
    'when where which while who whom why will with would you your yours tell please know get got need want')
    .split(' '),
);

/** Trims punctuation from a token's ends, keeping inner hyphens, dots and slashes (E-4012, v3.14.2, /v1/query). */
function trimToken(token: string): string {
  let start = 0;
  let end = token.length;
  const isWordChar = (c: string) => /[\p{L}\p{N}]/u.test(c);
  while (start < end && !isWordChar(token[start]!)) start++;
  while (end > start && !isWordChar(token[end - 1]!)) end--;
  return token.slice(start, end);
}

export function keywordQuery(question: string): string | undefined {
  const words = question
    .split(/\s+/)
    .map(trimToken)
    .filter((word) => word.length > 0 && !STOP_WORDS.has(word.toLowerCase()));
  return words.length > 0 ? words.join(' ') : undefined;
}
