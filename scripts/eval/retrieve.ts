// One question through the production retrieval path: the embed step, then the
// search step, each called with the CloudEvent the Broker would deliver.
import { randomUUID } from 'node:crypto';
import type { EventData } from '../../shared/events/catalogue.ts';
import type { RetrievalMode } from '../../shared/events/data-schemas.ts';
import { makeEvent } from '../../shared/events/make-event.ts';
import { callStep, requireReply } from '../../shared/http/step-client.ts';

const SOURCE = '/ragnative/eval';

export interface Retrieved {
  passages: EventData<'dev.ragnative.query.retrieved.v1'>['passages'];
  retrieval: EventData<'dev.ragnative.query.retrieved.v1'>['retrieval'];
  ms: number;
}

export async function retrieve(urls: { embed: string; search: string }, query: string, topK: number, mode: RetrievalMode): Promise<Retrieved> {
  const started = performance.now();
  const queryId = randomUUID();
  // Documents uploaded with authentication off live in the tenant "default"; the operator principal may name it.
  const received = { queryId, query, topK, filter: { tenant: 'default' }, retrieval: { mode }, principal: { id: 'eval', operator: true } };
  const call = { timeoutMs: 60_000 };
  const embedded = requireReply('embed', await callStep({ ...call, step: 'embed', url: urls.embed, expect: 'dev.ragnative.query.embedded.v1', event: makeEvent('dev.ragnative.query.received.v1', received, { source: SOURCE, subject: queryId }) }));
  const retrieved = requireReply('search', await callStep({ ...call, step: 'search', url: urls.search, expect: 'dev.ragnative.query.retrieved.v1', event: makeEvent('dev.ragnative.query.embedded.v1', embedded, { source: SOURCE, subject: queryId }) }));
  return { passages: retrieved.passages, retrieval: retrieved.retrieval, ms: performance.now() - started };
}

/** A text's embedding from the embed step (for answer relevance). */
export async function embedText(embedUrl: string, text: string): Promise<number[]> {
  const queryId = randomUUID();
  const received = { queryId, query: text, topK: 1 };
  const embedded = requireReply('embed', await callStep({ timeoutMs: 60_000, step: 'embed', url: embedUrl, expect: 'dev.ragnative.query.embedded.v1', event: makeEvent('dev.ragnative.query.received.v1', received, { source: SOURCE, subject: queryId }) }));
  return embedded.vector;
}
