// Starts one function the way functions-framework does (its own Express server,
// body parsers and routing), selected by FUNCTION_TARGET. We build the server
// through the framework's public `getTestServer` instead of its CLI for one reason:
// the CLI's server answers malformed bodies with an HTML page before our code
// runs; here an error middleware turns those into RFC 9457 problems too.
// Usage: FUNCTION_TARGET=embed PORT=8081 tsx shared/runtime/serve-function.ts
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { loadConfig } from '../config/load-config.ts';
import { eventLimitsConfig, listenConfig } from '../config/schemas.ts';
import { problemBody, PROBLEM_CONTENT_TYPE } from '../errors/problem-body.ts';
import { ProblemError, toProblemError } from '../errors/problem-error.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { serveMetrics } from '../observability/metrics-server.ts';
import { startTracing } from '../observability/otel-sdk.ts';
import { applyProblemHeaders } from '../http/respond.ts';
import { admissionFor, type Admit } from './admission.ts';
import { readBody } from './read-body.ts';
import { runShutdownTasks } from './shutdown.ts';

/** How long a stopping function may spend on its shutdown tasks; it exits after 5 s in any case. */
const SHUTDOWN_TASKS_MS = 3_000;
const FUNCTIONS = ['query', 'ingest', 'embed', 'search', 'rerank', 'prompt', 'generate', 'index', 'dead-letters'] as const;
type FunctionName = (typeof FUNCTIONS)[number];

interface ExpressLike {
  use(handler: (err: unknown, req: unknown, res: ExpressResponse, next: (err?: unknown) => void) => void): void;
}
interface ExpressResponse {
  headersSent: boolean;
  status(code: number): ExpressResponse;
  type(value: string): ExpressResponse;
  send(body: string): void;
}

/**
 * Errors raised before our handler runs, as problems: body-parser's error types
 * (https://github.com/expressjs/body-parser#errors), and the router's 400 for a
 * path that is not validly percent-encoded.
 */
function frameworkProblem(err: unknown): ProblemError {
  const { type, status } = err as { type?: string; status?: number };
  if (type === 'entity.parse.failed') return new ProblemError('invalid_json', 'The body is not valid JSON');
  if (type === 'entity.too.large') return new ProblemError('payload_too_large', 'The body is too large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new ProblemError('unsupported_media_type', 'Unsupported body encoding or charset');
  }
  if (type === 'request.aborted') return new ProblemError('invalid_request', 'The request was aborted');
  if (status === 400) return new ProblemError('invalid_request', 'The request could not be parsed');
  return new ProblemError('internal', 'Unexpected error');
}

function refuse(res: ServerResponse, problem: ProblemError, logger: Logger, bodyUnread: boolean): void {
  logger.warn('request.rejected', { code: problem.code, status: problem.status });
  // An unread body is never read: the connection closes after the answer.
  if (bodyUnread) res.setHeader('connection', 'close');
  applyProblemHeaders(res, problem);
  res.writeHead(problem.status, { 'content-type': PROBLEM_CONTENT_TYPE }).end(JSON.stringify(problemBody(problem)));
}

/**
 * Puts the function's admission (credential, body limit) in front of
 * functions-framework's Express app: nothing of the body is read before the
 * request is admitted, and never more than its limit.
 */
function admitFirst(server: Server, admit: Admit, logger: Logger): void {
  const app = server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let read = false;
    admit(req)
      .then(async ({ maxBodyBytes }) => {
        read = true;
        await readBody(req, res, maxBodyBytes).catch((error: unknown) => {
          throw error instanceof ProblemError ? error : frameworkProblem(error);
        });
        app(req, res);
      })
      .catch((error: unknown) => refuse(res, toProblemError(error), logger, !read || !req.complete));
  });
}

export function createFunctionServer(name: string): Server {
  const server = getTestServer(name);
  const app = server.listeners('request')[0] as unknown as ExpressLike;
  const logger = createLogger({ function: name });
  app.use((err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const problem = frameworkProblem(err);
    logger.warn('request.rejected', { code: problem.code, status: problem.status });
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problemBody(problem)));
  });
  const { MAX_EVENT_BYTES } = loadConfig(eventLimitsConfig);
  admitFirst(server, admissionFor(name) ?? (async () => ({ maxBodyBytes: MAX_EVENT_BYTES })), logger);
  return server;
}

export async function serveFunction(name: string, port: number): Promise<Server> {
  if (!(FUNCTIONS as readonly string[]).includes(name)) {
    throw new Error(`FUNCTION_TARGET must be one of ${FUNCTIONS.join(', ')}`);
  }
  await import(`../../functions/${name as FunctionName}/index.ts`);
  const server = createFunctionServer(name);
  const { HOST, METRICS_PORT } = loadConfig(listenConfig);
  await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
  if (METRICS_PORT > 0) {
    const metricsServer = await serveMetrics(METRICS_PORT, HOST);
    server.once('close', () => metricsServer.close());
  }
  return server;
}

async function main(): Promise<void> {
  const name = process.env.FUNCTION_TARGET ?? process.argv[2] ?? '';
  const port = Number(process.env.PORT ?? 8080);
  const logger = createLogger({ function: name });
  const tracing = await startTracing(name); // before the function's modules load
  const server = await serveFunction(name, port);
  logger.info('function.listening', { port, tracing: tracing ? 'otlp' : 'off' });
  const stop = (signal: string) => {
    logger.info('function.stopping', { signal });
    const exit = () => void runShutdownTasks(SHUTDOWN_TASKS_MS).then(() => tracing?.shutdown()).finally(() => process.exit(0));
    server.close(exit);
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'function.start_failed', error: String((error as Error).message ?? error) })}\n`);
    process.exit(1);
  });
}
