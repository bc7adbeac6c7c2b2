// Lifecycle events as one-line summaries: ids, counts, codes and latencies,
// never document text or answers.
import type { CloudEventV1 } from 'cloudevents';

const LIFECYCLE = /^dev\.ragnative\.(document\.(indexed|deleted|failed)|answer\.generated)\.v1$/;
const FIELDS = ['docId', 'chunkCount', 'latencyMs', 'reason', 'queryId', 'model', 'fallback'];

export function isLifecycle(event: CloudEventV1<unknown>): boolean {
  return LIFECYCLE.test(event.type);
}

export function lifecycleSummary(event: CloudEventV1<unknown>): Record<string, unknown> {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const fields = Object.entries(data).filter(([key]) => FIELDS.includes(key));
  return { type: event.type, subject: event.subject, time: event.time, ...Object.fromEntries(fields) };
}
