// Checks a JSON request body before any work: media type, size, UTF-8, then schema.
import { isUtf8 } from 'node:buffer';
import type { Request } from '@google-cloud/functions-framework';
import type { z } from 'zod';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { parseOrThrow } from '../../shared/errors/zod-issues.ts';

export function readJsonBody<S extends z.ZodType>(req: Request, schema: S, maxBytes: number): z.output<S> {
  if (!req.is('application/json')) throw new ProblemError('unsupported_media_type', 'Send the body as application/json');
  const raw = req.rawBody;
  if (raw && raw.length > maxBytes) throw new ProblemError('payload_too_large', `The body exceeds ${maxBytes} bytes`);
  if (raw && !isUtf8(raw)) throw new ProblemError('invalid_encoding', 'The body must be UTF-8 encoded JSON');
  if (raw === undefined || raw.length === 0) throw new ProblemError('invalid_json', 'The body is empty');
  return parseOrThrow(schema, req.body, 'invalid_request', 'Request body');
}
