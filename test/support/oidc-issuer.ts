// A local OpenID Connect issuer for the auth tests: a discovery document and a
// JWKS over HTTP, and real signed tokens (RS256) from its key.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export interface TestIssuer {
  issuer: string;
  /** A token for `claims`, valid for an hour unless `expiresIn` says otherwise. */
  sign(claims: JWTPayload, options?: { audience?: string; issuer?: string; expiresIn?: string | number; kid?: string }): Promise<string>;
  /** A token signed by a key the issuer does not publish. */
  signWithForeignKey(claims: JWTPayload): Promise<string>;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  close(): Promise<void>;
}

export const AUDIENCE = 'ragnative-test';

export async function startTestIssuer(port = 0): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks.json` }));
    } else if (req.url === '/jwks.json') {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const build = (claims: JWTPayload, options: Parameters<TestIssuer['sign']>[1] = {}) =>
    new SignJWT(claims)
      .setIssuedAt()
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setExpirationTime(options.expiresIn ?? '1h');
  return {
    issuer,
    sign: (claims, options = {}) => build(claims, options).setProtectedHeader({ alg: 'RS256', kid: options.kid ?? jwk.kid }).sign(privateKey),
    signWithForeignKey: (claims) => build(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(foreign.privateKey),
    jwksFetches: () => fetches,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
