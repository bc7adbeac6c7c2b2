import type { z } from 'zod';
import { ProblemError, type ProblemCode } from './problem-error.ts';

/** Validation issues as a problem: paths and messages only, never the input values. */
export function fromZodError(code: ProblemCode, what: string, error: z.ZodError): ProblemError {
  const errors = error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  return new ProblemError(code, `${what} failed validation`, { errors });
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, code: ProblemCode, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(code, what, result.error);
  return result.data;
}
