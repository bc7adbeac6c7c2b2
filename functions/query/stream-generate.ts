// Calls generate with Accept: text/event-stream and relays its answer deltas.
import { answerGenerated } from '../../shared/events/data-schemas.ts';
import type { EventData } from '../../shared/events/catalogue.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { parseOrThrow } from '../../shared/errors/zod-issues.ts';
import { readSse } from '../../shared/http/sse-reader.ts';
import { postEvent, relayedProblem, transportProblem, type StepCall } from '../../shared/http/step-client.ts';

type Answer = EventData<'dev.ragnative.answer.generated.v1'>;

export async function streamGenerate(call: Omit<StepCall<'dev.ragnative.answer.generated.v1'>, 'expect'>, onDelta: (text: string) => void): Promise<Answer> {
  const { response, timedOut } = await postEvent(call, 'text/event-stream');
  if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new ProblemError('upstream_rejected', 'generate did not answer with an event stream');
  }
  try {
    for await (const message of readSse(response.body)) {
      if (message.event === 'delta') onDelta((JSON.parse(message.data) as { text: string }).text);
      else if (message.event === 'done') return parseOrThrow(answerGenerated, JSON.parse(message.data), 'upstream_rejected', 'generate stream');
      else if (message.event === 'error') {
        const problem = JSON.parse(message.data) as { status?: unknown; code?: unknown; detail?: unknown };
        throw relayedProblem(call.step, Number(problem.status ?? 500), problem);
      }
    }
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw transportProblem(call.step, error, timedOut());
  }
  throw new ProblemError('step_unavailable', 'generate closed the stream before it was done');
}
