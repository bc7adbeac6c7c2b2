// JSON lines with a stable dotted `msg` and measurements as fields. Callers pass
// ids and numbers only: never document text, prompts, completions, vectors or secrets.
import { trace } from '@opentelemetry/api';

type Level = 'debug' | 'info' | 'warn' | 'error';
type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

const quiet = process.env.LOG_LEVEL === 'silent';
const debugOn = process.env.LOG_LEVEL === 'debug';

export function createLogger(base: Fields, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const emit = (level: Level, msg: string, fields: Fields = {}) => {
    if (quiet || (level === 'debug' && !debugOn)) return;
    const span = trace.getActiveSpan()?.spanContext();
    const traceFields = span && span.traceId !== '00000000000000000000000000000000' ? { traceId: span.traceId, spanId: span.spanId } : {};
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...traceFields, ...fields })}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger({ ...base, ...fields }, write),
  };
}

/** Error fields safe to log: class, code and message, never a cause's payload. */
export function errorFields(error: unknown): Fields {
  if (!(error instanceof Error)) return { error: String(error) };
  const code = (error as { code?: unknown }).code;
  return { error: error.name, ...(code === undefined ? {} : { code }), errorMessage: error.message.slice(0, 300) };
}
