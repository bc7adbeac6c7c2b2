import type { Response } from '@google-cloud/functions-framework';
import { HTTP, type CloudEventV1 } from 'cloudevents';
import { problemBody, PROBLEM_CONTENT_TYPE } from '../errors/problem-body.ts';
import { toProblemError, type ProblemError } from '../errors/problem-error.ts';
import { errorFields, type Logger } from '../observability/logger.ts';
import type { SseWriter } from './sse.ts';

export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(JSON.stringify(body));
}

/** Turns any error into an RFC 9457 response; the one place an error is logged. */
function logProblem(error: unknown, logger: Logger) {
  const problem = toProblemError(error);
  const fields = { code: problem.code, status: problem.status, detail: problem.message.slice(0, 300), ...errorFields(problem.cause ?? problem) };
  if (problem.status >= 500) logger.error('request.failed', fields);
  else logger.warn('request.rejected', fields);
  return problem;
}

export function sendProblem(res: Response, error: unknown, logger: Logger): void {
  const problem = logProblem(error, logger);
  if (res.headersSent) {
    res.end();
    return;
  }
  applyProblemHeaders(res, problem);
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problemBody(problem)));
}

/** Retry-After on 429 (1 s unless the problem says), WWW-Authenticate on 401, and the problem's own (Allow on 405). */
export function applyProblemHeaders(res: { setHeader(name: string, value: string): unknown }, problem: ProblemError): void {
  if (problem.status === 429) res.setHeader('retry-after', '1');
  if (problem.status === 401) res.setHeader('www-authenticate', 'Bearer');
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
}

/** Knative's reply contract: 200 with the next event in binary mode is published back to the Broker. */
export function sendEvent(res: Response, event: CloudEventV1<unknown>): void {
  const message = HTTP.binary(event);
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) res.setHeader(name, value);
  }
  res.status(200).send(typeof message.body === 'string' ? message.body : JSON.stringify(message.body));
}

/** Once a stream has started, a failure is its last event: `error` with the problem body. */
export function sendProblemEvent(sse: SseWriter, error: unknown, logger: Logger): void {
  sse.send('error', problemBody(logProblem(error, logger)));
  sse.end();
}
