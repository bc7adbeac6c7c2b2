// A tokenizer-free token estimate. The prompt budget is for whatever LLM sits
// behind OPENAI_BASE_URL, whose tokenizer we cannot know; BPE tokenizers average
// about 4 characters of English per token, and every word or symbol costs at
// least one. Taking the larger of the two errs on the side of a smaller prompt.
const PIECES = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

export function estimateTokens(text: string): number {
  let pieces = 0;
  for (const _ of text.matchAll(PIECES)) pieces++;
  return Math.max(pieces, Math.ceil(text.length / 4));
}
