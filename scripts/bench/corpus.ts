// The benchmark corpus and questions, shared by the ragnative run and the
// LangChain.js run so both index and ask exactly the same things.
export interface CorpusDocument {
  source: string;
  text: string;
}

export function corpus(documents: number): CorpusDocument[] {
  return Array.from({ length: documents }, (_, i) => ({
    source: `corpus/policy-${i}.md`,
    text: Array.from({ length: 12 }, (_, p) => `Section ${p} of policy ${i}: orders ship from the warehouse within ${p + 1} days, and refunds are paid within ${p + 5} business days.`).join('\n\n'),
  }));
}

export const QUESTIONS = ['What is the refund policy?', 'How long does delivery take?', 'Where is the warehouse?', 'Which payment methods are accepted?'];

/** Answer-generation settings both pipelines use. */
export const TOP_K = 5;
