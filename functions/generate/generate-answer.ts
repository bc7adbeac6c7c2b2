import type { EventData } from '../../shared/events/catalogue.ts';
import type { Logger } from '../../shared/observability/logger.ts';
import { createStreamRedactor } from '../../shared/text/stream-redactor.ts';
import type { ChatModel } from './chat-model.ts';
import { extractiveAnswer, type FallbackReason } from './extractive-answer.ts';
import { fallbackFor } from './llm-failure.ts';

type Prompt = EventData<'dev.ragnative.prompt.built.v1'>;
type Answer = EventData<'dev.ragnative.answer.generated.v1'>;

export interface GenerateDeps {
  /** Absent when no LLM is configured. */
  chat: ChatModel | undefined;
  timeoutMs: number;
}

export const EXTRACTIVE_MODEL = 'extractive';

function fallback(prompt: Prompt, reason: FallbackReason, onDelta: (text: string) => void): Answer {
  const answer = extractiveAnswer(prompt.citations, reason);
  onDelta(answer);
  return { queryId: prompt.queryId, answer, citations: prompt.citations, model: EXTRACTIVE_MODEL, fallback: reason };
}

/**
 * Answers a built prompt, reporting text as it arrives through onDelta. Never
 * hangs past timeoutMs. Personal data in the LLM's text is redacted on the way
 * out, with the same detectors as ingestion, and counted by kind.
 */
type Time = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/** `time` measures the LLM's stream (the step's Server-Timing `llm`). */
export async function generateAnswer(prompt: Prompt, deps: GenerateDeps, logger: Logger, onDelta: (text: string) => void = () => {}, time: Time = (_name, work) => work()): Promise<Answer> {
  if (!prompt.grounded) return fallback(prompt, 'nothing_relevant', onDelta);
  if (!deps.chat) return fallback(prompt, 'no_llm_configured', onDelta);
  const deadline = AbortSignal.timeout(deps.timeoutMs);
  let answer = '';
  let received = false;
  const redactor = createStreamRedactor((text) => {
    answer += text;
    onDelta(text);
  });
  let usage: Answer['usage'];
  let failure: Answer['fallback'];
  try {
    await time('llm', async () => {
      for await (const part of deps.chat!.stream(prompt.messages, deadline)) {
        if (part.delta) {
          received = true;
          redactor.push(part.delta);
        }
        if (part.usage) usage = part.usage;
      }
    });
  } catch (error) {
    failure = fallbackFor(error, deadline.aborted);
    logger.warn('generate.llm_failed', { queryId: prompt.queryId, reason: failure, partial: received });
    if (!received) return fallback(prompt, failure, onDelta);
  }
  const pii = redactor.end();
  if (Object.keys(pii).length > 0) logger.warn('generate.answer_pii_redacted', { queryId: prompt.queryId, pii });
  if (failure) {
    const note = `\n\n[The answer was cut off: ${failure === 'llm_timeout' ? 'the language model timed out' : 'the language model failed'}.]`;
    onDelta(note);
    answer += note;
  }
  return { queryId: prompt.queryId, answer, citations: prompt.citations, model: deps.chat.model, pii, ...(failure ? { fallback: failure } : {}), ...(usage ? { usage } : {}) };
}
