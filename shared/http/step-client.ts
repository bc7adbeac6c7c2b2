// Calls a step's HTTP endpoint with exactly the CloudEvent the Broker would
// deliver (binary mode) and reads its reply event, so the synchronous path and
// the event chain exercise the same contract.
import { HTTP, type CloudEventV1 } from 'cloudevents';
import { CATALOGUE, type EventData, type EventType } from '../events/catalogue.ts';
import { readEvent } from '../events/read-event.ts';
import { PROBLEMS, ProblemError, type ProblemCode } from '../errors/problem-error.ts';
import { parseOrThrow } from '../errors/zod-issues.ts';
import { withSpan } from '../observability/tracing.ts';
import { parseServerTiming } from './server-timing.ts';

export interface StepCall<R extends EventType> {
  step: string;
  url: string;
  event: CloudEventV1<unknown>;
  expect: R;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Receives the durations the step reported in its reply's Server-Timing header. */
  onServerTiming?: (spent: Record<string, number>) => void;
}

/** A step's own problem (e.g. milvus_unavailable from search) keeps its code and retry fate. */
export function relayedProblem(step: string, status: number, body: { code?: unknown; detail?: unknown }): ProblemError {
  const code = typeof body.code === 'string' && Object.hasOwn(PROBLEMS, body.code) ? (body.code as ProblemCode) : undefined;
  if (code && PROBLEMS[code].status === status) return new ProblemError(code, `${step}: ${String(body.detail ?? '')}`.slice(0, 300));
  if (status >= 500 || status === 429) return new ProblemError('step_unavailable', `${step} answered ${status}`);
  return new ProblemError('upstream_rejected', `${step} rejected the event (${status})`);
}

async function upstreamProblem(step: string, response: Response): Promise<ProblemError> {
  const body = (await response.json().catch(() => ({}))) as { code?: unknown; detail?: unknown };
  return relayedProblem(step, response.status, body);
}

export function transportProblem(step: string, error: unknown, timedOut: boolean): ProblemError {
  if (timedOut) return new ProblemError('deadline_exceeded', `${step} did not answer in time`);
  return new ProblemError('step_unavailable', `${step} is unreachable`, { cause: error });
}

export interface PostedEvent {
  response: Response;
  /** True once the call's own deadline has passed. */
  timedOut: () => boolean;
}

/** POSTs the event in binary mode; failures to connect or answer in time become problems. */
export async function postEvent(call: Omit<StepCall<EventType>, 'expect'>, accept = 'application/json'): Promise<PostedEvent> {
  const message = HTTP.binary(call.event);
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([timeout, call.signal]) : timeout;
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: 'POST',
      headers: { ...(message.headers as Record<string, string>), accept },
      body: typeof message.body === 'string' ? message.body : JSON.stringify(message.body),
      signal,
    });
  } catch (error) {
    throw transportProblem(call.step, error, timeout.aborted);
  }
  if (!response.ok) throw await upstreamProblem(call.step, response);
  return { response, timedOut: () => timeout.aborted };
}

/** Sends the event and returns the validated data of the reply, or null for 202 (no reply). */
export async function callStep<R extends EventType>(call: StepCall<R>): Promise<EventData<R> | null> {
  return withSpan(`step.${call.step}`, async () => {
    const { response, timedOut } = await postEvent(call);
    call.onServerTiming?.(parseServerTiming(response.headers.get('server-timing')));
    if (response.status === 202) return null;
    let body: Uint8Array;
    try {
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw transportProblem(call.step, error, timedOut());
    }
    const reply = readEvent(Object.fromEntries(response.headers), body);
    if (reply.type !== call.expect) {
      throw new ProblemError('upstream_rejected', `${call.step} replied ${reply.type}, expected ${call.expect}`);
    }
    return parseOrThrow(CATALOGUE[call.expect], reply.data, 'upstream_rejected', `${call.step} reply`) as EventData<R>;
  });
}

/** For steps that must reply: a 202 where an event was due is a broken contract. */
export function requireReply<T>(step: string, reply: T | null): T {
  if (reply === null) throw new ProblemError('upstream_rejected', `${step} accepted the event but sent no reply`);
  return reply;
}
