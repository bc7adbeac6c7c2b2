// OIDC bearer tokens: a JWT signed by one of the issuer's published keys (JWKS,
// fetched and cached by jose, refetched when an unknown key id appears), for
// our audience, unexpired, with an allowed algorithm (never `none` or HMAC).
// The tenant comes from a configured claim, never from the request body.
// jose is loaded with the first token, so a function without OIDC never loads it.
import type { createRemoteJWKSet, errors as JoseErrors, JWTPayload } from 'jose';
import type { AuthConfig } from '../../shared/config/schemas.ts';
import { ProblemError } from '../../shared/errors/problem-error.ts';

export interface VerifiedToken {
  subject: string;
  /** The tenant claim; `*` is not honoured from a token. */
  tenant: string;
  /** The groups claim's strings (none when it is absent). */
  groups: string[];
}

export type OidcVerifier = (token: string) => Promise<VerifiedToken>;

const DISCOVERY_TIMEOUT_MS = 5_000;

async function discoverJwksUrl(issuer: string): Promise<URL> {
  const response = await fetch(new URL('.well-known/openid-configuration', issuer.endsWith('/') ? issuer : `${issuer}/`), { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (document.issuer !== issuer) throw new Error(`discovery names issuer ${String(document.issuer)}, not ${issuer}`);
  if (typeof document.jwks_uri !== 'string') throw new Error('discovery has no jwks_uri');
  return new URL(document.jwks_uri);
}

function rejection(error: unknown, errors: typeof JoseErrors): ProblemError {
  if (error instanceof errors.JWTExpired) return new ProblemError('unauthenticated', 'The token has expired');
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
    return new ProblemError('identity_provider_unavailable', 'Could not fetch the identity provider\'s signing keys', { cause: error });
  }
  if (error instanceof errors.JWTClaimValidationFailed) return new ProblemError('unauthenticated', `The token's ${error.claim} claim is not accepted`);
  return new ProblemError('unauthenticated', 'The token is not valid');
}

export function createOidcVerifier(config: AuthConfig): OidcVerifier | undefined {
  const issuer = config.RAG_OIDC_ISSUER;
  const audience = config.RAG_OIDC_AUDIENCE;
  if (!issuer || !audience) return undefined;
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const jwks = () =>
    (keys ??= (async () => (await import('jose')).createRemoteJWKSet(config.RAG_OIDC_JWKS_URL ? new URL(config.RAG_OIDC_JWKS_URL) : await discoverJwksUrl(issuer)))().catch((error: unknown) => {
      keys = undefined; // try discovery again on the next request
      throw error;
    }));
  return async (token) => {
    const { jwtVerify, errors } = await import('jose');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await jwks(), { issuer, audience, algorithms: config.RAG_OIDC_ALGORITHMS, requiredClaims: ['sub', 'exp'] }));
    } catch (error) {
      throw rejection(error, errors);
    }
    const tenant = payload[config.RAG_OIDC_TENANT_CLAIM];
    if (typeof tenant !== 'string' || tenant.length === 0 || tenant.length > 256 || tenant === '*' || /[\u0000-\u001f]/.test(tenant)) {
      throw new ProblemError('forbidden', `The token carries no usable ${config.RAG_OIDC_TENANT_CLAIM} claim`);
    }
    const claimed = payload[config.RAG_OIDC_GROUPS_CLAIM];
    const groups = Array.isArray(claimed) ? claimed.filter((g): g is string => typeof g === 'string' && g.length > 0 && g.length <= 256 && !/[\u0000-\u001f]/.test(g)).slice(0, 64) : [];
    return { subject: payload.sub!, tenant, groups };
  };
}
