// The public routes, declared as templates (`/v1/documents/:id`): one table that
// answers which route a request is for (404, or 405 with Allow), whether it
// needs a credential, and how large its body may be.
import type { Request, Response } from '@google-cloud/functions-framework';
import { ProblemError } from '../../shared/errors/problem-error.ts';
import type { Identity } from './authenticate.ts';

export interface Call {
  req: Request;
  res: Response;
  /** Path parameters, percent-decoded, by name. */
  params: Record<string, string>;
  signal: AbortSignal;
  traceparent: string | undefined;
  identity: Identity;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  handle: (call: Call) => Promise<void>;
  /** `public` routes (probes, published contracts) need no credential. */
  access?: 'public';
  /** The largest body the route reads (default: none worth mentioning). */
  maxBodyBytes?: number;
}

export const SMALL_BODY_BYTES = 16 * 1024;

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? (names.push(segment.slice(1)), '([^/]+)') : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ProblemError('invalid_request', 'The path is not validly percent-encoded');
  }
}

export function createRouteTable(routes: Route[]) {
  const compiled = routes.map(compile);
  return {
    /** The route for a method and path; its raw (still encoded) parameters. */
    find(method: string | undefined, path: string): { route: Route; raw: Record<string, string> } {
      const matching = compiled.filter((c) => c.pattern.test(path));
      const hit = matching.find((c) => c.route.method === method);
      if (!hit) {
        if (matching.length === 0) throw new ProblemError('not_found', 'No such route; see /openapi.json');
        const allow = matching.map((c) => c.route.method).join(', ');
        throw new ProblemError('method_not_allowed', `Use ${allow}`, { headers: { allow } });
      }
      const values = hit.pattern.exec(path)!.slice(1);
      return { route: hit.route, raw: Object.fromEntries(hit.names.map((name, i) => [name, values[i]!])) };
    },
    /** Decodes parameters once the caller is known (nothing of the request is interpreted before). */
    decode: (raw: Record<string, string>) => Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, decodeSegment(v)])),
  };
}

export type RouteTable = ReturnType<typeof createRouteTable>;
