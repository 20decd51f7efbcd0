import { BlockList, isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppDeps } from '../deps';
import { DomainError } from '../errors';
import { resolveSession } from '../services/customers/sessions';
import type { AppEnv, SessionCustomer } from './types';

// The session cookie is `__Host-tl_session` (Secure, Path=/, no Domain) whenever the request came
// over https, in production, or when COOKIE_SECURE=1. On plain http (npm start on 127.0.0.1, test
// clients) browsers drop Secure cookies, so there it is `tl_session` without Secure. Both are
// HttpOnly and SameSite=Lax. See docs/decisions/011-session-cookie.md.
export const SECURE_COOKIE = '__Host-tl_session';
export const PLAIN_COOKIE = 'tl_session';

function useSecureCookie(deps: AppDeps, c: Context): boolean {
  if (deps.env.COOKIE_SECURE !== undefined) return deps.env.COOKIE_SECURE;
  // Every request asks this now (the session cookie's name depends on it): the URL's scheme by
  // its prefix, without parsing the whole URL.
  return deps.env.isProduction || c.req.url.startsWith('https:');
}

export function setSessionCookie(deps: AppDeps, c: Context, token: string, expiresAt: Date): void {
  const secure = useSecureCookie(deps, c);
  // hono adds the `__Host-` prefix itself (and enforces Secure, Path=/, no Domain).
  setCookie(c, PLAIN_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    expires: expiresAt,
    ...(secure ? { prefix: 'host' as const } : {}),
  });
}

export function clearSessionCookie(deps: AppDeps, c: Context): void {
  const secure = useSecureCookie(deps, c);
  if (secure) deleteCookie(c, PLAIN_COOKIE, { path: '/', secure: true, prefix: 'host' });
  else deleteCookie(c, PLAIN_COOKIE, { path: '/' });
}

/**
 * Reads the session cookie this transport sets and puts the signed-in customer on the context.
 * Only that name: where the cookie is `__Host-tl_session`, a plain `tl_session` can only have been
 * planted (a sibling subdomain may set it with Domain=.example, never a `__Host-` one), and taking
 * it would sign the visitor in as whoever planted it (login CSRF). See docs/decisions/011.
 */
export function sessionMiddleware(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, useSecureCookie(deps, c) ? SECURE_COOKIE : PLAIN_COOKIE);
    if (token && token.length <= 128) {
      const customer = resolveSession(deps, token);
      if (customer) c.set('customer', customer);
    }
    await next();
    // A personal answer (a signed-in customer's, the operator's, one that sets the session cookie)
    // is never kept by the browser's cache or a shared one: after sign-out, Back must not show the
    // orders, and a proxy must not hand one customer's page to another.
    const headers = c.res.headers;
    if (
      !headers.has('cache-control') &&
      (c.get('customer') || headers.has('set-cookie') || c.req.raw.headers.has('authorization'))
    )
      headers.set('cache-control', 'no-store');
  };
}

/** The signed-in customer, or 401. */
export function requireCustomer(c: Context<AppEnv>): SessionCustomer {
  const customer = c.get('customer');
  if (!customer) throw new DomainError('unauthenticated', 'Sign in to do this');
  return customer;
}

/**
 * The client's address for rate limits: the socket's peer, or, when the peer is one of
 * TRUSTED_PROXIES, the client its `X-Forwarded-For` names (see `forwardedClient`).
 */
export function clientAddress(deps: AppDeps, c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress;
  if (peer === undefined) return 'local';
  const trusted = trustedProxies(deps.env.TRUSTED_PROXIES);
  return rateLimitAddress(trusted ? forwardedClient(peer, c.req.header('x-forwarded-for'), trusted) : peer);
}

const trustedLists = new WeakMap<readonly string[], BlockList>();

/** TRUSTED_PROXIES as a BlockList (built once per setting), or undefined when there are none. */
function trustedProxies(entries: readonly string[]): BlockList | undefined {
  if (entries.length === 0) return undefined;
  let list = trustedLists.get(entries);
  if (!list) {
    list = new BlockList();
    for (const entry of entries) {
      const [address = '', bits] = entry.split('/');
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(bits), type);
    }
    trustedLists.set(entries, list);
  }
  return list;
}

/**
 * Who a request came from when `peer` may be a trusted proxy. Each proxy appends the address it
 * was connected from to `X-Forwarded-For`, so the list is read from the right: while the address
 * in hand is a trusted proxy, the entry before it says who connected to that proxy. The first
 * address that is not a trusted proxy is the client; what it put further left is its own claim and
 * never read. An entry that is not an address (garbage, or a header the proxy did not write) stops
 * the walk at the last address a trusted proxy vouched for.
 */
export function forwardedClient(peer: string, forwardedFor: string | undefined, trusted: BlockList): string {
  let client = peer;
  if (!forwardedFor) return client;
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0 && isTrusted(trusted, client); i--) {
    const hop = bareAddress(hops[i]!.trim());
    if (hop === undefined) break;
    client = hop;
  }
  return client;
}

function isTrusted(list: BlockList, address: string): boolean {
  const version = isIP(address);
  return version !== 0 && list.check(address, version === 6 ? 'ipv6' : 'ipv4');
}

/** An X-Forwarded-For entry as an address: some proxies add a port (`1.2.3.4:5678`, `[::1]:80`). */
function bareAddress(entry: string): string | undefined {
  const candidate = /^\[([^\]]+)\](?::\d+)?$/.exec(entry)?.[1] ?? /^([\d.]+):\d+$/.exec(entry)?.[1] ?? entry;
  return isIP(candidate) === 0 ? undefined : candidate;
}

/**
 * The key one client is counted under: an IPv4 address as is (also when mapped into IPv6), an
 * IPv6 address by its /64. A subscriber is handed a whole /64, so counting single IPv6 addresses
 * would give one attacker 2^64 fresh counters and no per-address limit at all.
 */
export function rateLimitAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
