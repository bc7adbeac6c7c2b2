// Every outgoing event is built here: validated against the catalogue, stamped
// with source, subject and trace context.
import { CloudEvent } from 'cloudevents';
import { CATALOGUE, type EventInput, type EventType } from './catalogue.ts';
import { outgoingTraceparent } from '../observability/tracing.ts';

export interface EventOptions {
  source: string;
  subject?: string;
  traceparent?: string | undefined;
}

export function makeEvent<T extends EventType>(type: T, data: EventInput<T>, options: EventOptions): CloudEvent<unknown> {
  const parsed = CATALOGUE[type].parse(data);
  const traceparent = outgoingTraceparent(options.traceparent);
  return new CloudEvent<unknown>({
    type,
    source: options.source,
    datacontenttype: 'application/json',
    data: parsed,
    ...(options.subject ? { subject: options.subject } : {}),
    ...(traceparent ? { traceparent } : {}),
  });
}
