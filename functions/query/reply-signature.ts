// Signs and checks where an asynchronous answer is delivered, on whose behalf,
// and until when. Only the query function knows the secret, so an
// answer.generated event that anyone else sends to query's CloudEvent route
// cannot make it POST anywhere, nor claim another caller's identity in the
// audit trail; an expired reply, or one already delivered, is refused, so a
// captured event cannot be replayed.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import type { reply } from '../../shared/events/data-schemas.ts';

export type Reply = z.output<typeof reply>;

function sign(secret: string, queryId: string, { url, principal, tenant, expiresAt }: Omit<Reply, 'signature'>): string {
  return createHmac('sha256', secret).update(JSON.stringify([queryId, url, principal, tenant, expiresAt])).digest('hex');
}

export function signedReply(secret: string, queryId: string, unsigned: Omit<Reply, 'signature'>): Reply {
  return { ...unsigned, signature: sign(secret, queryId, unsigned) };
}

export function replyIsAuthentic(secret: string, queryId: string, reply: Reply): boolean {
  return timingSafeEqual(Buffer.from(sign(secret, queryId, reply), 'hex'), Buffer.from(reply.signature, 'hex'));
}

/**
 * Replies this process has delivered (or is delivering), until they expire.
 * Per replica: a replay reaching another replica is refused there only once
 * its reply expires, which bounds it to the reply's lifetime.
 */
export function createReplyLedger(now: () => number = Date.now, capacity = 100_000) {
  const claimed = new Map<string, number>();
  return {
    /** Claims a reply for delivery; throws when it expired or was claimed already. */
    claim(queryId: string, reply: Reply): () => void {
      const time = now();
      if (Date.parse(reply.expiresAt) <= time) throw new ProblemError('forbidden', 'This answer\'s reply has expired');
      for (const [id, expires] of claimed) {
        if (expires > time && claimed.size < capacity) break; // insertion order: the oldest first
        claimed.delete(id);
      }
      if (claimed.has(queryId)) throw new ProblemError('forbidden', 'This answer was delivered already');
      claimed.set(queryId, Date.parse(reply.expiresAt));
      return () => claimed.delete(queryId); // a failed delivery may be retried
    },
  };
}
