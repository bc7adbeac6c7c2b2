import type { Response } from '@google-cloud/functions-framework';
import { HTTP, type CloudEventV1 } from 'cloudevents';
import { problemBody, PROBLEM_CONTENT_TYPE } from '../errors/problem-body.ts';
import { toProblemError } from '../errors/problem-error.ts';
import { errorFields, type Logger } from '../observability/logger.ts';
import type { SseWriter } from './sse.ts';

export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(JSON.stringify(body));
}

/** Turns any error into an RFC 9457 response; the one place an error is logged. */
function logProblem(error: unknown, logger: Logger) {
  const problem = toProblemError(error);
  const fields = { code: problem.code, status: problem.status, ...errorFields(problem.cause ?? problem) };
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
  if (problem.status === 429) res.setHeader('retry-after', '1');
  if (problem.status === 401) res.setHeader('www-authenticate', 'Bearer');
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problemBody(problem)));
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
