// Publishes events to a sink (the Broker's ingress, from K_SINK) in binary mode,
// for functions that emit more than the one reply event Knative allows.
import { HTTP, type CloudEventV1 } from 'cloudevents';
import { ProblemError } from '../errors/problem-error.ts';
import { withSpan } from '../observability/tracing.ts';

export type Publish = (event: CloudEventV1<unknown>) => Promise<void>;

export function createPublisher(sinkUrl: string, timeoutMs = 10_000): Publish {
  return (event) =>
    withSpan('broker.publish', async () => {
      const message = HTTP.binary(event);
      const response = await fetch(sinkUrl, {
        method: 'POST',
        headers: message.headers as Record<string, string>,
        body: typeof message.body === 'string' ? message.body : JSON.stringify(message.body),
        signal: AbortSignal.timeout(timeoutMs),
      }).catch((error: unknown) => {
        throw new ProblemError('step_unavailable', 'The event sink is unreachable', { cause: error });
      });
      await response.body?.cancel();
      if (!response.ok) throw new ProblemError('step_unavailable', `The event sink answered ${response.status}`);
    });
}
