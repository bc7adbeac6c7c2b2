// The one adapter between functions-framework `http` functions and CloudEvents:
// parse one event, route by exact type, validate data with the catalogue,
// answer with the reply event (200) or nothing (202), map errors to problems.
// Handlers never touch req/res.
import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import type { CloudEvent, CloudEventV1 } from 'cloudevents';
import { CATALOGUE, type EventData, type EventType } from '../events/catalogue.ts';
import { readEvent } from '../events/read-event.ts';
import { ProblemError } from '../errors/problem-error.ts';
import { parseOrThrow } from '../errors/zod-issues.ts';
import type { Logger } from '../observability/logger.ts';
import { contextFromTraceparent, context, SpanKind, withSpan } from '../observability/tracing.ts';
import { sendEvent, sendJson, sendProblem, sendProblemEvent } from './respond.ts';
import { requestSignal } from './request-signal.ts';
import { createServerTiming } from './server-timing.ts';
import { acceptsEventStream, openSse, type SseWriter } from './sse.ts';

export interface EventContext {
  readonly event: CloudEventV1<unknown>;
  readonly traceparent: string | undefined;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Times work the step waits on (a model, Milvus, an LLM): reported in the reply's Server-Timing header. */
  time<T>(name: string, work: () => Promise<T>): Promise<T>;
}

export type EventRoute<T extends EventType> = (data: EventData<T>, ctx: EventContext) => Promise<CloudEvent<unknown> | null>;
export type EventRoutes = { [T in EventType]?: EventRoute<T> };

/** A route that can answer a caller accepting text/event-stream with SSE instead of one reply event. */
export type EventStream<T extends EventType> = (data: EventData<T>, ctx: EventContext, sse: SseWriter) => Promise<void>;
export type EventStreams = { [T in EventType]?: EventStream<T> };

export interface EventFunctionOptions {
  name: string;
  routes: EventRoutes;
  streams?: EventStreams;
  logger: Logger;
  /** Readiness: resolves when dependencies are usable, throws a ProblemError otherwise. */
  ready?: () => Promise<void>;
}

/** Streams over SSE; a failure after the stream opened is sent as an `error` event. */
async function streamReply(res: Response, run: (sse: SseWriter) => Promise<void>, logger: Logger): Promise<void> {
  const sse = openSse(res);
  try {
    await run(sse);
    sse.end();
  } catch (error) {
    sendProblemEvent(sse, error, logger);
  }
}

/** Parses, routes and validates one delivered event; every failure is a ProblemError. */
function receive(req: Request, name: string, routes: EventRoutes) {
  if (req.method !== 'POST') throw new ProblemError('method_not_allowed', 'Events are delivered with POST');
  const event = readEvent(req.headers, req.rawBody);
  const type = event.type as EventType;
  const route = Object.hasOwn(routes, type) ? (routes[type] as EventRoute<EventType>) : undefined;
  if (!route) throw new ProblemError('unsupported_event_type', `${name} does not handle ${event.type.slice(0, 100)}`);
  const data = parseOrThrow(CATALOGUE[type], event.data, 'invalid_event_data', 'Event data');
  const traceparent = typeof event.traceparent === 'string' ? event.traceparent : undefined;
  return { event, type, route, data, traceparent };
}

export function createEventFunction({ name, routes, streams = {}, logger, ready }: EventFunctionOptions): HttpFunction {
  const probe = async (res: Response, path: string) => {
    try {
      if (path === '/readyz') await ready?.();
      sendJson(res, 200, { status: 'ok', function: name });
    } catch (error) {
      sendProblem(res, error, logger);
    }
  };

  return async (req, res) => {
    if (req.method === 'GET' && (req.path === '/healthz' || req.path === '/readyz')) return probe(res, req.path);
    const { signal, done } = requestSignal(res);
    try {
      const { event, type, route, data, traceparent } = receive(req, name, routes);
      const timing = createServerTiming();
      const ctx: EventContext = { event, traceparent, logger: logger.child({ eventId: event.id, eventType: event.type }), signal, time: timing.time };
      const stream = streams[type] as EventStream<EventType> | undefined;
      await context.with(contextFromTraceparent(traceparent), () =>
        withSpan(name, async () => {
          if (stream && acceptsEventStream(req.get('accept'))) return streamReply(res, (sse) => stream(data, ctx, sse), ctx.logger);
          const reply = await route(data, ctx);
          const serverTiming = timing.header();
          if (serverTiming) res.setHeader('server-timing', serverTiming);
          if (reply) sendEvent(res, reply);
          else res.status(202).end();
        }, SpanKind.SERVER),
      );
    } catch (error) {
      sendProblem(res, error, logger);
    } finally {
      done();
    }
  };
}
