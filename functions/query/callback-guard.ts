// Where an asynchronous answer may be POSTed. A callbackUrl is the caller's
// choice, so it must not reach inside: loopback, private, link-local (cloud
// metadata), CGNAT, multicast and reserved addresses, cluster-internal names,
// and ports other than 80/443 are refused unless RAG_CALLBACK_ALLOW names the
// host or its network. The check is made when the question is asked and again
// on the address actually connected to (a name that re-resolves inside is
// caught); redirects are not followed and the reply is read only so far.
import { lookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { ProblemError } from '../../shared/errors/problem-error.ts';

const REFUSED_NETWORKS: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
];
const INTERNAL_NAME = /(^|\.)(localhost|local|localdomain|internal|intranet|svc|cluster\.local|home\.arpa)\.?$/i;
const PUBLIC_PORTS = new Set(['', '80', '443']);
const REPLY_READ_BYTES = 64 * 1024;

const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

export interface CallbackGuard {
  /** Throws 400 when the URL may not be called back (its name resolved now). */
  check(url: string): Promise<void>;
  /** POSTs to a checked URL, connecting only to allowed addresses; resolves to the status. */
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number>;
}

/**
 * `allow`: host names, or networks in CIDR notation (10.1.0.0/16, 127.0.0.1/32),
 * that may be called back; a URL naming an allowed host or address may use any port.
 */
export function createCallbackGuard(allow: readonly string[]): CallbackGuard {
  const refused = new BlockList();
  for (const [network, prefix] of REFUSED_NETWORKS) refused.addSubnet(network, prefix, family(network));
  const allowedNetworks = new BlockList();
  const allowedHosts = new Set<string>();
  for (const entry of allow) {
    const [network, prefix] = entry.split('/');
    if (network && isIP(network)) allowedNetworks.addSubnet(network, Number(prefix ?? (isIP(network) === 6 ? 128 : 32)), family(network));
    else allowedHosts.add(entry.toLowerCase());
  }

  const addressAllowed = (address: string) => allowedNetworks.check(address, family(address)) || !refused.check(address, family(address));
  const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

  const target = (raw: string) => {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProblemError('invalid_request', 'callbackUrl must be http or https');
    const host = hostOf(url);
    const trusted = allowedHosts.has(host) || (isIP(host) > 0 && allowedNetworks.check(host, family(host)));
    if (!trusted && !PUBLIC_PORTS.has(url.port)) throw new ProblemError('callback_refused', 'callbackUrl may use only ports 80 and 443 (RAG_CALLBACK_ALLOW can allow others)');
    if (!trusted && INTERNAL_NAME.test(host)) throw new ProblemError('callback_refused', 'callbackUrl names an internal host');
    return { url, host, trusted };
  };

  const refuseAddress = (address: string) => new ProblemError('callback_refused', `callbackUrl resolves to a private, loopback, link-local or reserved address (${address})`);

  /** dns.lookup that fails for addresses a callback may not reach. */
  const guardedLookup = (trusted: boolean) =>
    ((hostname: string, options: object, done: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
      lookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return done(error, '');
        const bad = trusted ? undefined : addresses.find((a) => !addressAllowed(a.address));
        if (bad) return done(refuseAddress(bad.address), '');
        const all = (options as { all?: boolean }).all;
        done(null, all ? addresses : addresses[0]!.address, all ? undefined : addresses[0]!.family);
      });
    }) as unknown as typeof lookup;

  const resolve = (host: string, trusted: boolean) =>
    new Promise<void>((done, fail) => {
      if (isIP(host)) return trusted || addressAllowed(host) ? done() : fail(refuseAddress(host));
      guardedLookup(trusted)(host, { all: true }, (error) => {
        if (!error) return done();
        fail(error instanceof ProblemError ? error : new ProblemError('callback_refused', `callbackUrl's host does not resolve (${host.slice(0, 100)})`));
      });
    });

  return {
    async check(raw) {
      const { host, trusted } = target(raw);
      await resolve(host, trusted);
    },
    post(raw, headers, body, timeoutMs) {
      const { url, host, trusted } = target(raw);
      return resolve(host, trusted).then(
        () =>
          new Promise<number>((done, fail) => {
            const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
            const outgoing = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: guardedLookup(trusted), signal: AbortSignal.timeout(timeoutMs) }, (reply) => {
              let read = 0;
              reply.on('data', (chunk: Buffer) => {
                read += chunk.length;
                if (read > REPLY_READ_BYTES) reply.destroy(); // the status is all we need
              });
              reply.on('close', () => done(reply.statusCode ?? 0));
              reply.on('error', () => done(reply.statusCode ?? 0));
            });
            outgoing.on('error', fail);
            outgoing.end(body);
          }),
      );
    },
  };
}
