// Starts one function the way functions-framework does (its own Express server,
// body parsers and routing), selected by FUNCTION_TARGET. We build the server
// through the framework's public `getTestServer` instead of its CLI for one reason:
// the CLI's server answers malformed bodies with an HTML page before our code
// runs; here an error middleware turns those into RFC 9457 problems too.
// Usage: FUNCTION_TARGET=embed PORT=8081 tsx shared/runtime/serve-function.ts
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { Server } from 'node:http';
import { problemBody, PROBLEM_CONTENT_TYPE } from '../errors/problem-body.ts';
import { ProblemError } from '../errors/problem-error.ts';
import { createLogger } from '../observability/logger.ts';
import { startTracing } from '../observability/otel-sdk.ts';

const FUNCTIONS = ['query', 'ingest', 'embed', 'search', 'prompt', 'generate', 'index', 'dead-letters'] as const;
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
  return server;
}

export async function serveFunction(name: string, port: number): Promise<Server> {
  if (!(FUNCTIONS as readonly string[]).includes(name)) {
    throw new Error(`FUNCTION_TARGET must be one of ${FUNCTIONS.join(', ')}`);
  }
  await import(`../../functions/${name as FunctionName}/index.ts`);
  const server = createFunctionServer(name);
  await new Promise<void>((resolve) => server.listen(port, '0.0.0.0', resolve));
  return server;
}

async function main(): Promise<void> {
  const name = process.env.FUNCTION_TARGET ?? process.argv[2] ?? '';
  const port = Number(process.env.PORT ?? 8080);
  const logger = createLogger({ function: name });
  const tracing = startTracing(name); // before the function's modules load
  const server = await serveFunction(name, port);
  logger.info('function.listening', { port, tracing: tracing ? 'otlp' : 'off' });
  const stop = (signal: string) => {
    logger.info('function.stopping', { signal });
    const exit = () => void (tracing?.shutdown() ?? Promise.resolve()).finally(() => process.exit(0));
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
