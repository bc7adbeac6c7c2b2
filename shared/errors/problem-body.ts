// RFC 9457 problem details (https://www.rfc-editor.org/rfc/rfc9457). Short, no
// secrets, no document text: `detail` is written by us, never copied from input,
// and a dependency's own words stay in the log.
import { PROBLEMS, type ProblemError } from './problem-error.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  retryable: boolean;
  errors?: readonly unknown[];
}

export function problemBody(error: ProblemError): ProblemBody {
  return {
    type: `https://ragnative.dev/problems/${error.code}`,
    title: PROBLEMS[error.code].title,
    status: error.status,
    code: error.code,
    detail: error.detailIsPublic ? error.message : `${PROBLEMS[error.code].title}; the details are in the function's log`,
    retryable: error.retryable,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}
