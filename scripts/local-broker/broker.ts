// A local Broker with Knative semantics, routed by the Trigger manifests in
// knative/: exact-type filters, reply events published back, retries with
// backoff per the Broker's delivery spec, and a dead-letter sink (a JSON-lines
// file) for what still fails, stamped with knativeerrorcode/knativeerrordata,
// and at most each Service's containerConcurrency in flight (service-slots.ts).
import { CloudEvent, type CloudEventV1 } from 'cloudevents';
import { setMaxListeners } from 'node:events';
import { appendFile, mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { readEvent } from '../../shared/events/read-event.ts';
import { toProblemError } from '../../shared/errors/problem-error.ts';
import { problemBody } from '../../shared/errors/problem-body.ts';
import { loadManifests, routesOf, type Route } from '../knative-manifests.ts';
import { deliver } from './deliver.ts';
import { concurrencyOf, createSlots, type Slots } from './service-slots.ts';
import { policyOf, type DeliveryPolicy } from './delivery-policy.ts';
import { isLifecycle, lifecycleSummary } from './lifecycle.ts';

export interface BrokerOptions {
  port: number;
  /** Knative Service name -> local URL. */
  subscribers: Record<string, string>;
  deadLetterFile: string;
  /** Overlays under knative/optional/ to route through (e.g. ["rerank"]). */
  optional?: readonly string[];
  /** Overrides the Broker manifest's delivery spec (tests use short backoffs). */
  policy?: Partial<DeliveryPolicy>;
  onEvent?: (record: BrokerRecord) => void;
}

export type BrokerRecord =
  | { kind: 'received'; event: CloudEventV1<unknown> }
  | { kind: 'delivered'; event: CloudEventV1<unknown>; trigger: string; attempts: number }
  | { kind: 'dead-lettered'; event: CloudEventV1<unknown>; trigger: string; status: number | undefined; attempts: number };

export interface LocalBroker {
  url: string;
  routes: Route[];
  /** Resolves when every delivery started so far has finished (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function matches(route: Route, event: CloudEventV1<unknown>): boolean {
  return Object.entries(route.exact).every(([attribute, value]) => (event as unknown as Record<string, unknown>)[attribute] === value);
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export async function startLocalBroker(options: BrokerOptions): Promise<LocalBroker> {
  const manifests = await loadManifests(undefined, { optional: options.optional ?? [] });
  const routes = routesOf(manifests);
  const policy = { ...policyOf(manifests.find((m) => m.kind === 'Broker')), ...options.policy };
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();
  setMaxListeners(Infinity, stopping.signal); // one listener per delivery waiting or in flight
  const concurrency = concurrencyOf(manifests);
  const slots = new Map<string, Slots>();
  const slotsOf = (subscriber: string) => {
    if (!slots.has(subscriber)) slots.set(subscriber, createSlots(concurrency[subscriber] ?? 0));
    return slots.get(subscriber)!;
  };
  await mkdir(dirname(options.deadLetterFile), { recursive: true });

  const deadLetter = async (event: CloudEventV1<unknown>, route: Route, url: string, status: number | undefined, body: string) => {
    const dead = new CloudEvent({
      ...event,
      knativeerrordest: url,
      knativeerrorcode: String(status ?? 0),
      knativeerrordata: Buffer.from(body).toString('base64'),
    } as CloudEventV1<unknown>);
    await appendFile(options.deadLetterFile, `${JSON.stringify({ trigger: route.trigger, event: dead.toJSON() })}\n`);
  };

  const tails = new Set<ServerResponse>();
  const publish = (event: CloudEventV1<unknown>): void => {
    options.onEvent?.({ kind: 'received', event });
    if (isLifecycle(event)) for (const tail of tails) tail.write(`event: lifecycle\ndata: ${JSON.stringify(lifecycleSummary(event))}\n\n`);
    for (const route of routes.filter((r) => matches(r, event))) {
      const url = options.subscribers[route.subscriber];
      const task = (async () => {
        if (!url) return deadLetter(event, route, `service/${route.subscriber}`, undefined, 'no local subscriber');
        const result = await deliver(url, event, policy, { signal: stopping.signal, slots: slotsOf(route.subscriber) });
        if (stopping.signal.aborted) return; // stopping with its subscribers: nothing is delivered or dead-lettered any more
        if (result.ok) {
          options.onEvent?.({ kind: 'delivered', event, trigger: route.trigger, attempts: result.attempts });
          if (result.reply) publish(result.reply);
        } else {
          options.onEvent?.({ kind: 'dead-lettered', event, trigger: route.trigger, status: result.status, attempts: result.attempts });
          await deadLetter(event, route, url, result.status, result.body);
        }
      })().catch((error: unknown) => console.error(JSON.stringify({ msg: 'broker.delivery_crashed', error: String(error) })));
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
    }
  };

  const server: Server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/events') {
      // `npm run cli -- tail`: lifecycle events as server-sent events.
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }).flushHeaders();
      tails.add(res);
      res.on('close', () => tails.delete(res));
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(req.url === '/healthz' ? 200 : 405).end();
      return;
    }
    try {
      publish(readEvent(req.headers, await readBody(req)));
      res.writeHead(202).end();
    } catch (error) {
      const problem = toProblemError(error);
      res.writeHead(problem.status, { 'content-type': 'application/problem+json' }).end(JSON.stringify(problemBody(problem)));
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      stopping.abort();
      for (const tail of tails) tail.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...inFlight]);
    },
  };
}
