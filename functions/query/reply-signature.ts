// Signs and checks where an asynchronous answer is delivered and on whose
// behalf. Only the query function knows the secret, so an answer.generated
// event that anyone else sends to query's CloudEvent route cannot make it POST
// anywhere, nor claim another caller's identity in the audit trail.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { reply } from '../../shared/events/data-schemas.ts';

export type Reply = z.output<typeof reply>;

function sign(secret: string, queryId: string, { url, principal, tenant }: Omit<Reply, 'signature'>): string {
  return createHmac('sha256', secret).update(JSON.stringify([queryId, url, principal, tenant])).digest('hex');
}

export function signedReply(secret: string, queryId: string, unsigned: Omit<Reply, 'signature'>): Reply {
  return { ...unsigned, signature: sign(secret, queryId, unsigned) };
}

export function replyIsAuthentic(secret: string, queryId: string, reply: Reply): boolean {
  return timingSafeEqual(Buffer.from(sign(secret, queryId, reply), 'hex'), Buffer.from(reply.signature, 'hex'));
}
