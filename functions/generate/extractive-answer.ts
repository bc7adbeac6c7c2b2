// The answer given without an LLM: the cited passages themselves, labelled as
// such, so a missing or failing model never turns into an invented answer.
import type { Citation } from '../../shared/events/data-schemas.ts';

export type FallbackReason = 'no_llm_configured' | 'llm_timeout' | 'llm_unavailable' | 'nothing_relevant';

export const NOTHING_RELEVANT_ANSWER =
  'I could not find anything relevant to this question in the indexed documents, so I cannot answer it.';

const PREAMBLES: Record<Exclude<FallbackReason, 'nothing_relevant'>, string> = {
  no_llm_configured: 'No language model is configured (OPENAI_API_KEY is not set), so here are the most relevant passages:',
  llm_timeout: 'The language model did not answer in time, so here are the most relevant passages:',
  llm_unavailable: 'The language model is unavailable, so here are the most relevant passages:',
};

const EXCERPT_CHARS = 400;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_CHARS) return flat;
  const cut = flat.slice(0, EXCERPT_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), EXCERPT_CHARS / 2))}…`;
}

export function extractiveAnswer(citations: readonly Citation[], reason: FallbackReason): string {
  if (reason === 'nothing_relevant' || citations.length === 0) return NOTHING_RELEVANT_ANSWER;
  const lines = citations.slice(0, 3).map((c) => `[${c.n}] ${excerpt(c.text)}`);
  return [PREAMBLES[reason], ...lines].join('\n\n');
}
