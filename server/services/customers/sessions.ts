import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, lte, notInArray, or, sql } from 'drizzle-orm';
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
    if (replaces) deps.db.delete(sessions).where(eq(sessions.idHash, replaces)).run();
    deps.db
      .insert(sessions)
      .values({ idHash: hashToken(token), customerId, createdAt: now, expiresAt, lastSeenAt: now })
      .run();
    deps.db
      .delete(sessions)
      .where(
        and(
          eq(sessions.customerId, customerId),
          or(lte(sessions.expiresAt, now), lte(lastUsed, now - deps.env.SESSION_IDLE_TIMEOUT * 1000)),
        ),
      )
      .run();
    const keep = deps.db
      .select({ idHash: sessions.idHash })
      .from(sessions)
      .where(eq(sessions.customerId, customerId))
      .orderBy(desc(lastUsed), desc(sessions.createdAt), desc(sql`rowid`))
      .limit(SESSIONS_PER_ACCOUNT);
    deps.db
      .delete(sessions)
      .where(and(eq(sessions.customerId, customerId), notInArray(sessions.idHash, keep)))
      .run();
  });
  return { token, expiresAt: new Date(expiresAt) };
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
    deps.db.delete(sessions).where(eq(sessions.idHash, hash)).run();
    return null;
  }
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
}

/**
 * Deletes every expired or idle session (run at start): a session is otherwise deleted only when
 * its cookie comes back or its account signs in again, so those of customers who never return
 * would stay in the table for good. Returns how many went.
 */
export function purgeDeadSessions(deps: Pick<AppDeps, 'db' | 'env' | 'now'>): number {
  const now = deps.now().getTime();
  return deps.db
    .delete(sessions)
    .where(or(lte(sessions.expiresAt, now), lte(lastUsed, now - deps.env.SESSION_IDLE_TIMEOUT * 1000)))
    .run().changes;
}
