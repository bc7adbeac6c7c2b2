// Events published after the caller already has its answer (audit records):
// queued in memory and published in the background, a few at a time, each
// retried with backoff. A slow or unavailable Broker then neither holds the
// caller's concurrency slot nor delays the next request. The queue is bounded:
// what it cannot take, and what it could not deliver after its attempts, goes
// to `dropped` (to be counted and logged) instead of growing without end.
import type { CloudEvent } from 'cloudevents';
import type { Publish } from './publish-event.ts';

export interface PublishQueueOptions {
  /** Events waiting or in flight at most; beyond it new ones are dropped. */
  capacity: number;
  /** Publish attempts per event. */
  attempts: number;
  /** The wait before the second attempt; doubled before each later one. */
  backoffMs: number;
  /** Publishes in flight at once. */
  concurrency: number;
}

export type DropReason = 'queue_full' | 'publish_failed';

export interface PublishQueue {
  /** Queues the event and returns at once. */
  enqueue(event: CloudEvent<unknown>): void;
  /** Resolves when everything queued was published or dropped, or after `timeoutMs`, whichever comes first. */
  drain(timeoutMs: number): Promise<void>;
  /** Events waiting or in flight. */
  readonly size: number;
}

export function createPublishQueue(publish: Publish, options: PublishQueueOptions, dropped: (event: CloudEvent<unknown>, reason: DropReason, error?: unknown) => void): PublishQueue {
  const waiting: CloudEvent<unknown>[] = [];
  let inFlight = 0;
  let idle: (() => void)[] = [];

  const deliver = async (event: CloudEvent<unknown>) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await publish(event);
      } catch (error) {
        if (attempt >= options.attempts) return dropped(event, 'publish_failed', error);
        await new Promise((resolve) => setTimeout(resolve, options.backoffMs * 2 ** (attempt - 1)));
      }
    }
  };
  const pump = () => {
    while (inFlight < options.concurrency && waiting.length > 0) {
      const event = waiting.shift()!;
      inFlight++;
      void deliver(event).finally(() => {
        inFlight--;
        pump();
      });
    }
    if (inFlight === 0 && waiting.length === 0) {
      for (const resolve of idle) resolve();
      idle = [];
    }
  };

  return {
    enqueue(event) {
      if (waiting.length + inFlight >= options.capacity) return dropped(event, 'queue_full');
      waiting.push(event);
      pump();
    },
    drain(timeoutMs) {
      if (inFlight === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        idle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    get size() {
      return waiting.length + inFlight;
    },
  };
}
