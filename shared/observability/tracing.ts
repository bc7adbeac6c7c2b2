// Depends on @opentelemetry/api only: a no-op until an SDK is registered.
import { randomBytes } from 'node:crypto';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';

const tracer = trace.getTracer('ragnative');

export async function withSpan<T>(name: string, fn: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  return tracer.startActiveSpan(name, { kind }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Context from a W3C `traceparent` (an HTTP header or the CloudEvents tracing extension). */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(context.active(), { traceparent }) : context.active();
}

/**
 * The traceparent to put on an outgoing event: the active span's when an SDK is
 * running, otherwise the incoming one, passed through so the chain stays joined.
 */
export function outgoingTraceparent(incoming: string | undefined): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? incoming;
}

const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The trace a request or upload belongs to, at the point where it enters the
 * system: the caller's (a valid W3C traceparent) or a new one, so that every
 * event it causes carries the same trace id even without an OpenTelemetry SDK.
 */
export function traceFor(incoming: string | undefined): string {
  if (incoming && TRACEPARENT.test(incoming)) return incoming;
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export { context, SpanKind };
