// One question through the production retrieval path: the embed step, then the
// search step, each called with the CloudEvent the Broker would deliver.
import { randomUUID } from 'node:crypto';
import type { EventData, EventInput } from '../../shared/events/catalogue.ts';
import type { RetrievalMode } from '../../shared/events/data-schemas.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { callStep, requireReply } from '../../shared/http/step-client.ts';

const SOURCE = '/ragnative/eval';

export interface Retrieved {
  passages: EventData<'dev.ragnative.query.retrieved.v1'>['passages'];
  retrieval: EventData<'dev.ragnative.query.retrieved.v1'>['retrieval'];
  ms: number;
}

const CALL = { timeoutMs: 60_000 };

/** query.received through the embed step. */
async function embed(embedUrl: string, received: EventInput<'dev.ragnative.query.received.v1'>) {
  const event = makeEvent('dev.ragnative.query.received.v1', received, { source: SOURCE, subject: received.queryId });
  return requireReply('embed', await callStep({ ...CALL, step: 'embed', url: embedUrl, expect: 'dev.ragnative.query.embedded.v1', event }));
}

export async function retrieve(urls: { embed: string; search: string }, query: string, topK: number, mode: RetrievalMode): Promise<Retrieved> {
  const started = performance.now();
  const queryId = randomUUID();
  // Documents uploaded with authentication off live in the tenant "default"; the operator principal may name it.
  const embedded = await embed(urls.embed, { queryId, query, topK, filter: { tenant: 'default' }, retrieval: { mode }, principal: { id: 'eval', operator: true } });
  const retrieved = requireReply('search', await callStep({ ...CALL, step: 'search', url: urls.search, expect: 'dev.ragnative.query.retrieved.v1', event: makeEvent('dev.ragnative.query.embedded.v1', embedded, { source: SOURCE, subject: queryId }) }));
  return { passages: retrieved.passages, retrieval: retrieved.retrieval, ms: performance.now() - started };
}

/** A text's embedding from the embed step (for answer relevance). */
export async function embedText(embedUrl: string, text: string): Promise<number[]> {
  return (await embed(embedUrl, { queryId: randomUUID(), query: text, topK: 1 })).vector;
}
