import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { writeTransaction } from '../../db/client';
import { customers, sessions } from '../../db/schema/index';
import type { AppDeps } from '../../deps';

/** Live sessions one account may hold; a new one past this ends the least recently used. */
export const SESSIONS_PER_ACCOUNT = 20;

/** 256 random bits; only its SHA-256 is stored, so a database leak does not leak live sessions. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

const lastUsed = sql`coalesce(${sessions.lastSeenAt}, ${sessions.createdAt})`;

/** Sessions past their lifetime or unused for SESSION_IDLE_TIMEOUT, at `now`. */
function dead(deps: Pick<AppDeps, 'env'>, now: number) {
  return or(lte(sessions.expiresAt, now), lte(lastUsed, now - deps.env.SESSION_IDLE_TIMEOUT * 1000));
}

/**
 * Starts a session; returns the token for the cookie. The account's expired and idle sessions
 * are deleted on the way, and past SESSIONS_PER_ACCOUNT the least recently used ones (a stolen
 * password or a script logging in again and again cannot pile up sessions without bound).
 */
export function createSession(
  deps: AppDeps,
  customerId: string,
  /** The hash of the session this one replaces (a sign-in over a live cookie): it ends first. */
  replaces?: string,
): { token: string; expiresAt: Date } {
  const token = newSessionToken();
  const now = deps.now().getTime();
  const expiresAt = now + deps.env.SESSION_TTL * 1000;
  writeTransaction(deps.sqlite, () => {
    // Before the cap is counted: signing in again at the cap ends only the replaced session, not
    // also the least recently used one.
    if (replaces) destroySession(deps, replaces);
    deps.db
      .insert(sessions)
      .values({ idHash: hashToken(token), customerId, createdAt: now, expiresAt, lastSeenAt: now })
      .run();
    deps.db
      .delete(sessions)
      .where(and(eq(sessions.customerId, customerId), dead(deps, now)))
      .run();
    // At most SESSIONS_PER_ACCOUNT + 1 rows: ordered here, by the real last use where this process
    // saw one after the stored (hourly) one.
    const live = deps.db
      .select({ idHash: sessions.idHash, lastUsed: sql<number>`${lastUsed}` })
      .from(sessions)
      .where(eq(sessions.customerId, customerId))
      .orderBy(desc(sessions.createdAt), desc(sql`rowid`))
      .all();
    if (live.length > SESSIONS_PER_ACCOUNT) {
      const uses = recentUses(deps);
      const used = (s: (typeof live)[number]) => Math.max(s.lastUsed, uses.get(s.idHash) ?? 0);
      // Stable sort: among equal last uses, the newer session (listed first) is kept.
      const ended = live
        .map((s) => ({ s, at: used(s) }))
        .sort((a, b) => b.at - a.at)
        .slice(SESSIONS_PER_ACCOUNT)
        .map(({ s }) => s.idHash);
      deps.db
        .delete(sessions)
        .where(and(eq(sessions.customerId, customerId), inArray(sessions.idHash, ended)))
        .run();
      for (const hash of ended) uses.delete(hash);
    }
  });
  return { token, expiresAt: new Date(expiresAt) };
}

/**
 * Each session's last use as this process saw it (hash → ms), newest last. The stored last use is
 * written at most hourly (no write per request, decision 044), which is too coarse to tell which
 * of an account's sessions was least recently used when a login ends one past the limit: a session
 * used a second ago looked older than sessions opened since and never used. Kept in memory, bounded;
 * after a restart the stored (hourly) times decide, as they did before.
 */
const lastUses = new WeakMap<AppDeps['db'], Map<string, number>>();
const RECENT_USES_MAX = 100_000;

function recentUses(deps: AppDeps): Map<string, number> {
  let uses = lastUses.get(deps.db);
  if (!uses) lastUses.set(deps.db, (uses = new Map()));
  return uses;
}

function noteUse(deps: AppDeps, hash: string, now: number): void {
  const uses = recentUses(deps);
  // Re-inserted, so the Map's order is the order of last use and the first key the stalest.
  uses.delete(hash);
  uses.set(hash, now);
  if (uses.size > RECENT_USES_MAX) uses.delete(uses.keys().next().value as string);
}

const statements = new WeakMap<AppDeps['db'], ReturnType<typeof prepare>>();
function prepare(db: AppDeps['db']) {
  return {
    lookup: db
      .select({
        id: customers.id,
        email: customers.email,
        name: customers.name,
        expiresAt: sessions.expiresAt,
        lastUsed: sql<number>`${lastUsed}`,
      })
      .from(sessions)
      .innerJoin(customers, eq(customers.id, sessions.customerId))
      .where(eq(sessions.idHash, sql.placeholder('hash')))
      .prepare(),
    touch: db
      .update(sessions)
      .set({ lastSeenAt: sql`${sql.placeholder('now')}` })
      .where(eq(sessions.idHash, sql.placeholder('hash')))
      .prepare(),
  };
}

/** Use is recorded at most this often: a write per request would cost order intake an fsync each. */
function touchInterval(idleMs: number): number {
  return Math.min(60 * 60_000, idleMs / 10);
}

/**
 * The signed-in customer for a cookie token, or null (unknown, logged out, expired, or unused for
 * SESSION_IDLE_TIMEOUT). A session in use has its last use recorded, at most once an hour, so
 * it ends between 13 and 14 days after its real last use (with the defaults), never later.
 */
export function resolveSession(
  deps: AppDeps,
  token: string,
): { id: string; email: string; name: string; sessionHash: string } | null {
  let stmts = statements.get(deps.db);
  if (!stmts) statements.set(deps.db, (stmts = prepare(deps.db)));
  const hash = hashToken(token);
  const row = stmts.lookup.get({ hash });
  if (!row) return null;
  const now = deps.now().getTime();
  const idleMs = deps.env.SESSION_IDLE_TIMEOUT * 1000;
  if (row.expiresAt <= now || row.lastUsed <= now - idleMs) {
    destroySession(deps, hash);
    return null;
  }
  noteUse(deps, hash, now);
  if (now - row.lastUsed >= touchInterval(idleMs)) {
    try {
      stmts.touch.run({ hash, now });
    } catch {
      // Storage full or busy: the request goes on (a read must not fail for this); the next
      // request records the use instead.
    }
  }
  return { id: row.id, email: row.email, name: row.name, sessionHash: hash };
}

export function destroySession(deps: AppDeps, sessionHash: string): void {
  deps.db.delete(sessions).where(eq(sessions.idHash, sessionHash)).run();
  recentUses(deps).delete(sessionHash);
}

/**
 * Deletes every expired or idle session (run at start): a session is otherwise deleted only when
 * its cookie comes back or its account signs in again, so those of customers who never return
 * would stay in the table for good. Returns how many went.
 */
export function purgeDeadSessions(deps: Pick<AppDeps, 'db' | 'env' | 'now'>): number {
  return deps.db.delete(sessions).where(dead(deps, deps.now().getTime())).run().changes;
}
