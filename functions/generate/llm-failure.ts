// Translates OpenAI SDK errors once, at the edge. Transient failures (timeouts,
// connection errors, 429, 5xx) become a labelled extractive answer; a provider's
// refusal of the request itself (other 4xx) is a permanent problem.
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import type { FallbackReason } from './extractive-answer.ts';

export function fallbackFor(error: unknown, timedOut: boolean): FallbackReason {
  if (timedOut || error instanceof APIUserAbortError) return 'llm_timeout';
  if (error instanceof APIConnectionError) return error.name === 'APIConnectionTimeoutError' ? 'llm_timeout' : 'llm_unavailable';
  if (error instanceof APIError && error.status !== undefined && error.status !== 429 && error.status < 500) {
    throw new ProblemError('upstream_rejected', `The language model rejected the request (${error.status})`, { cause: error });
  }
  if (error instanceof APIError) return 'llm_unavailable';
  throw error;
}
