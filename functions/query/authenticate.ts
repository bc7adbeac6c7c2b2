// Who is calling: an OIDC token (a JWT in Authorization: Bearer, when an issuer
// is configured) or an API key (Bearer, or X-API-Key) whose SHA-256 hash is
// configured, compared in constant time. Either names the caller's tenant,
// which then bounds every read and write, whatever the request says.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from '@google-cloud/functions-framework';
import type { AuthConfig } from '../../shared/config/schemas.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { createOidcVerifier } from './oidc-verifier.ts';

export interface Identity {
  /** The tenant every request of this caller is confined to; undefined for operators and when auth is disabled. */
  tenant: string | undefined;
  /** A short, non-secret handle for logs, limits and audit: `key:<hash prefix>`, `oidc:<subject>` or `anonymous`. */
  keyId: string;
}

export const ANONYMOUS: Identity = { tenant: undefined, keyId: 'anonymous' };
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** A key bound to `*` is an operator's: it may name any tenant (npm start's dev key is one). */
export const ALL_TENANTS = '*';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function presentedKey(req: Request): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  return bearer ?? req.get('x-api-key') ?? undefined;
}

export function createAuthenticator(config: AuthConfig): (req: Request) => Promise<Identity> {
  const stored = config.RAG_API_KEYS.map(({ hash, tenant }) => ({ digest: Buffer.from(hash, 'hex'), tenant, keyId: `key:${hash.slice(0, 12)}` }));
  const verifyToken = createOidcVerifier(config);
  return async (req) => {
    if (config.RAG_AUTH === 'disabled') return ANONYMOUS;
    const key = presentedKey(req);
    if (!key) throw new ProblemError('unauthenticated', `Send ${verifyToken ? 'a token or ' : ''}an API key: Authorization: Bearer <${verifyToken ? 'token or ' : ''}key>`);
    if (verifyToken && JWT_SHAPE.test(key)) {
      const { subject, tenant } = await verifyToken(key);
      return { tenant, keyId: `oidc:${subject.slice(0, 128)}` };
    }
    const digest = Buffer.from(hashKey(key), 'hex');
    let match: (typeof stored)[number] | undefined;
    for (const entry of stored) if (timingSafeEqual(entry.digest, digest)) match = entry; // no early exit: constant time
    if (!match) throw new ProblemError('unauthenticated', 'The API key is not valid');
    return { tenant: match.tenant === ALL_TENANTS ? undefined : match.tenant, keyId: match.keyId };
  };
}

/** The tenant a request may touch: the caller's own; asking for another is refused. */
export function tenantFor(identity: Identity, requested: string | undefined): string | undefined {
  if (identity.tenant === undefined) return requested;
  if (requested !== undefined && requested !== identity.tenant) throw new ProblemError('forbidden', 'This API key cannot access that tenant');
  return identity.tenant;
}
