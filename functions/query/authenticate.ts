// Who is calling: an OIDC token (a JWT in Authorization: Bearer, when an issuer
// is configured) or an API key (Bearer, or X-API-Key) whose SHA-256 hash is
// configured, compared in constant time. Either names the caller's tenant,
// which then bounds every read and write, whatever the request says.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuthConfig } from '../../shared/config/schemas.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import { createOidcVerifier } from './oidc-verifier.ts';

export interface Identity {
  /** The tenant every request of this caller is confined to; undefined for operators and when auth is disabled. */
  tenant: string | undefined;
  /** A short, non-secret handle for logs, limits and audit: `key:<hash prefix>`, `oidc:<subject>` or `anonymous`. */
  keyId: string;
  /** The groups whose restricted documents it may read; undefined (operators, auth disabled): every document. */
  groups: string[] | undefined;
}

export const ANONYMOUS: Identity = { tenant: undefined, keyId: 'anonymous', groups: undefined };
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** A key bound to `*` is an operator's: it may name any tenant (npm start's dev key is one). */
export const ALL_TENANTS = '*';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

type Headers = Pick<IncomingMessage, 'headers'>;

function presentedKey(req: Headers): string | undefined {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const bearer = /^Bearer\s+(\S+)$/i.exec(header('authorization') ?? '')?.[1];
  return bearer ?? header('x-api-key') ?? undefined;
}

export type Authenticate = (req: Headers) => Promise<Identity>;

/**
 * Checks the credential a request presents. The outcome is remembered per
 * request: the server checks it before the body is read, and the route uses
 * the same identity without verifying again.
 */
export function createAuthenticator(config: AuthConfig): Authenticate {
  const checked = new WeakMap<Headers, Promise<Identity>>();
  const check = verifier(config);
  return (req) => {
    let identity = checked.get(req);
    if (!identity) checked.set(req, (identity = check(req)));
    return identity;
  };
}

function verifier(config: AuthConfig): Authenticate {
  const stored = config.RAG_API_KEYS.map(({ hash, tenant, groups }) => ({ digest: Buffer.from(hash, 'hex'), tenant, groups, keyId: `key:${hash.slice(0, 12)}` }));
  const verifyToken = createOidcVerifier(config);
  return async (req) => {
    if (config.RAG_AUTH === 'disabled') return ANONYMOUS;
    const key = presentedKey(req);
    if (!key) throw new ProblemError('unauthenticated', `Send ${verifyToken ? 'a token or ' : ''}an API key: Authorization: Bearer <${verifyToken ? 'token or ' : ''}key>`);
    if (verifyToken && JWT_SHAPE.test(key)) {
      const { subject, tenant, groups } = await verifyToken(key);
      return { tenant, keyId: `oidc:${subject.slice(0, 128)}`, groups };
    }
    const digest = Buffer.from(hashKey(key), 'hex');
    let match: (typeof stored)[number] | undefined;
    for (const entry of stored) if (timingSafeEqual(entry.digest, digest)) match = entry; // no early exit: constant time
    if (!match) throw new ProblemError('unauthenticated', 'The API key is not valid');
    if (match.tenant === ALL_TENANTS) return { tenant: undefined, keyId: match.keyId, groups: undefined };
    return { tenant: match.tenant, keyId: match.keyId, groups: match.groups };
  };
}

/** What a caller may read, as the search filter fields only the server sets. */
export function accessOf(identity: Identity): { tenant?: string; readerGroups?: string[] } {
  return { ...(identity.tenant === undefined ? {} : { tenant: identity.tenant }), ...(identity.groups === undefined ? {} : { readerGroups: identity.groups }) };
}

/** Whether a document restricted to `groups` (none: open to its tenant) is readable by the caller. */
export function mayRead(identity: Identity, document: { tenant: string; groups: readonly string[] }): boolean {
  if (identity.tenant !== undefined && document.tenant !== identity.tenant) return false;
  return identity.groups === undefined || document.groups.length === 0 || document.groups.some((g) => identity.groups!.includes(g));
}

/** Who asked, as the steps see it: an operator is bound to no tenant (and may search every one). */
export function principalOf(identity: Identity): { id: string; operator: boolean } {
  return { id: identity.keyId, operator: identity.tenant === undefined };
}

/** The tenant a request may touch: the caller's own; asking for another is refused. */
export function tenantFor(identity: Identity, requested: string | undefined): string | undefined {
  if (identity.tenant === undefined) return requested;
  if (requested !== undefined && requested !== identity.tenant) throw new ProblemError('forbidden', 'This API key cannot access that tenant');
  return identity.tenant;
}
