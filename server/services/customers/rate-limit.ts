import { and, count, eq, gt, inArray, lt, min, sql } from 'drizzle-orm';
import { loginFailures } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';

interface Limit {
  max: number;
  windowMs: number;
}

const HOUR = 60 * 60_000;

/**
 * Failed-login limits, counted in the database so a restart does not reset them. An account
 * tolerates a short burst, then waits; it never sees more than 100 failures an hour. One
 * address may fail more often (shared NATs), but not enough to spray many accounts.
 */
export const LOGIN_LIMITS = {
  account: [
    { max: 10, windowMs: 15 * 60_000 },
    { max: 100, windowMs: HOUR },
  ],
  address: [{ max: 100, windowMs: 15 * 60_000 }],
} as const satisfies Record<string, readonly Limit[]>;

type LoginScope = keyof typeof LOGIN_LIMITS;

/**
 * Checks the limits and counts this attempt as a failure in ONE immediate transaction, before
 * the password is hashed; returns the rows written so a successful login can take them back.
 * Checking first and recording after the (slow, async) scrypt let any number of parallel guesses
 * pass the check together: 30 concurrent wrong passwords all got 401 against a limit of 10.
 */
export function reserveLoginAttempt(deps: AppDeps, keys: Record<LoginScope, string>): number[] {
  return reserveAttempt(deps, LOGIN_LIMITS, keys, 'Too many failed sign-in attempts');
}

/**
 * Counts a registration against the client's address (`REGISTRATIONS_PER_HOUR`) before anything
 * else is looked at, the same way: a taken email's 409 counts as much as a new account, or it
 * would tell whether an address has an account at full speed. Never taken back.
 *
 * Loopback is not counted. A request from the shop's own machine is a reverse proxy in front of
 * it (every customer would share its address, and the whole shop could open 20 accounts an
 * hour) or a test or integration suite run beside it; neither is a stranger listing emails.
 * A proxy named in TRUSTED_PROXIES hands on the real client's address, which is counted
 * (decision 015, third addendum).
 */
export function reserveRegistration(deps: AppDeps, address: string): void {
  if (isLoopback(address)) return;
  reserveAttempt(
    deps,
    { register: [{ max: deps.env.REGISTRATIONS_PER_HOUR, windowMs: HOUR }] },
    { register: address },
    'Too many accounts registered from this address',
  );
}

/** The attempt reserved by `reserveLoginAttempt` succeeded: it was not a failure after all. */
export function forgiveLoginAttempt(deps: AppDeps, ids: number[], account: string): void {
  deps.sqlite
    .transaction(() => {
      if (ids.length) deps.db.delete(loginFailures).where(inArray(loginFailures.id, ids)).run();
      clearAccountFailures(deps, account);
    })
    .immediate();
}

/** Limit check and count in one IMMEDIATE transaction; returns the rows written. */
function reserveAttempt<S extends string>(
  deps: AppDeps,
  limits: Record<S, readonly Limit[]>,
  keys: Record<S, string>,
  what: string,
): number[] {
  return deps.sqlite
    .transaction(() => {
      assertAllowed(deps, limits, keys, what);
      return recordAttempt(deps, limits, keys);
    })
    .immediate();
}

/** Throws 429 with Retry-After when any limit for these keys is used up. */
function assertAllowed<S extends string>(
  deps: AppDeps,
  limits: Record<S, readonly Limit[]>,
  keys: Record<S, string>,
  what: string,
): void {
  const now = deps.now().getTime();
  let retryAfterMs = 0;
  for (const scope of Object.keys(limits) as S[]) {
    for (const limit of limits[scope]) {
      const since = now - limit.windowMs;
      const key = `${scope}:${keys[scope]}`;
      const row = deps.db
        .select({ n: count(), oldest: min(loginFailures.at) })
        .from(loginFailures)
        .where(and(eq(loginFailures.key, key), gt(loginFailures.at, since)))
        .get();
      if (row && row.n >= limit.max) {
        // Free again once enough of the window's attempts have aged out; the oldest is a safe bound.
        const nth = deps.db
          .select({ at: loginFailures.at })
          .from(loginFailures)
          .where(and(eq(loginFailures.key, key), gt(loginFailures.at, since)))
          .orderBy(sql`${loginFailures.at} desc`)
          .limit(1)
          .offset(limit.max - 1)
          .get();
        retryAfterMs = Math.max(retryAfterMs, (nth?.at ?? row.oldest ?? now) + limit.windowMs - now);
      }
    }
  }
  if (retryAfterMs > 0) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    throw new DomainError('rate_limited', `${what}; try again in ${seconds} s`, {
      headers: { 'retry-after': String(seconds) },
      extra: { retryAfter: seconds },
    });
  }
}

/** Counts one attempt per scope (inside reserveAttempt's transaction) and prunes what no window sees. */
function recordAttempt<S extends string>(
  deps: AppDeps,
  limits: Record<S, readonly Limit[]>,
  keys: Record<S, string>,
): number[] {
  const now = deps.now().getTime();
  const ids: number[] = [];
  for (const scope of Object.keys(limits) as S[]) {
    const key = `${scope}:${keys[scope]}`;
    const row = deps.db
      .insert(loginFailures)
      .values({ key, at: now })
      .returning({ id: loginFailures.id })
      .get();
    ids.push(row.id);
    const longest = Math.max(...limits[scope].map((l) => l.windowMs));
    deps.db
      .delete(loginFailures)
      .where(and(eq(loginFailures.key, key), lt(loginFailures.at, now - longest)))
      .run();
  }
  return ids;
}

/** A successful login forgives the account's failures (not the address's). */
function clearAccountFailures(deps: AppDeps, account: string): void {
  deps.db
    .delete(loginFailures)
    .where(eq(loginFailures.key, `account:${account}`))
    .run();
}

/**
 * 127.0.0.0/8 and ::1 as `rateLimitAddress` gives them (IPv4 as is, IPv6 by its /64: the rest of
 * ::/64 is unspecified or deprecated, never a peer from the internet), or no socket at all.
 */
function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '0:0:0:0::/64' || address === 'local';
}
