import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../deps';
import { DomainError } from '../errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Refuses cross-site mutations: a browser always sends `Origin` (and `Sec-Fetch-Site`) on a
 * POST/PATCH/DELETE, so a request whose origin is not this site was made by another site riding
 * on the customer's cookie. Requests without those headers come from non-browser clients, which
 * carry no ambient cookie risk. Partner events (signed) and admin calls (bearer) are exempt.
 * Outside production any loopback origin is accepted, for the Vite dev server's proxy.
 */
export function originCheck(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const path = c.req.path;
    if (path.startsWith('/api/partners/') || path.startsWith('/api/admin/')) return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    if (site === 'cross-site')
      throw new DomainError('cross_site_request', 'Requests from other sites are refused');
    if (origin === undefined) return next();
    if (origin === 'null')
      throw new DomainError('cross_site_request', 'Requests from an opaque origin are refused');
    let o: URL;
    try {
      o = new URL(origin);
    } catch {
      throw new DomainError('cross_site_request', 'The Origin header is not a URL');
    }
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (o.host === host) return next();
    if (!deps.env.isProduction && LOOPBACK.has(o.hostname)) return next();
    throw new DomainError('cross_site_request', `Requests from ${o.origin} are refused`);
  };
}
