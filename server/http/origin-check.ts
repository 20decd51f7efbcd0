import type { Context, MiddlewareHandler } from 'hono';
import type { AppDeps } from '../deps';
import { DomainError } from '../errors';
import { refuseFormBody } from './content-type';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Refuses cross-site mutations: a browser always sends `Origin` (and `Sec-Fetch-Site`) on a
 * POST/PATCH/DELETE, so a request whose origin is not this site was made by another site riding
 * on the customer's cookie. Requests without those headers come from non-browser clients, which
 * carry no ambient cookie risk. Partner events (signed) and admin calls (bearer) are exempt.
 * Outside production any loopback origin is accepted, for the Vite dev server's proxy. Then a body
 * labelled as a form encoding is refused with 415 (content-type.ts), admin calls included: one
 * middleware for both, so a mutation pays for one layer, not two.
 */
export function originCheck(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const path = c.req.path;
    if (path.startsWith('/api/partners/')) return next();
    // Admin calls carry a bearer token, no ambient cookie: only the body's label is checked.
    if (!path.startsWith('/api/admin/')) checkOrigin(deps, c);
    refuseFormBody(c);
    return next();
  };
}

/** Throws 403 when the browser says the request comes from another site. */
function checkOrigin(deps: AppDeps, c: Context): void {
  const origin = c.req.header('origin');
  const site = c.req.header('sec-fetch-site');
  if (site === 'cross-site')
    throw new DomainError('cross_site_request', 'Requests from other sites are refused');
  if (origin === undefined) return;
  if (origin === 'null')
    throw new DomainError('cross_site_request', 'Requests from an opaque origin are refused');
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    throw new DomainError('cross_site_request', 'The Origin header is not a URL');
  }
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  if (o.host === host) return;
  if (!deps.env.isProduction && LOOPBACK.has(o.hostname)) return;
  throw new DomainError('cross_site_request', `Requests from ${o.origin} are refused`);
}
