import { createHash, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { customers, sessions } from '../../db/schema/index';
import type { AppDeps } from '../../deps';

/** 256 random bits; only its SHA-256 is stored, so a database leak does not leak live sessions. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Starts a session; returns the token for the cookie. */
export function createSession(deps: AppDeps, customerId: string): { token: string; expiresAt: Date } {
  const token = newSessionToken();
  const now = deps.now().getTime();
  const expiresAt = now + deps.env.SESSION_TTL * 1000;
  deps.db
    .insert(sessions)
    .values({ idHash: hashToken(token), customerId, createdAt: now, expiresAt })
    .run();
  return { token, expiresAt: new Date(expiresAt) };
}

const lookups = new WeakMap<AppDeps['db'], ReturnType<typeof prepareLookup>>();
function prepareLookup(db: AppDeps['db']) {
  return db
    .select({
      id: customers.id,
      email: customers.email,
      name: customers.name,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(customers, eq(customers.id, sessions.customerId))
    .where(eq(sessions.idHash, sql.placeholder('hash')))
    .prepare();
}

/** The signed-in customer for a cookie token, or null (unknown, logged out or expired). */
export function resolveSession(
  deps: AppDeps,
  token: string,
): { id: string; email: string; name: string; sessionHash: string } | null {
  let stmt = lookups.get(deps.db);
  if (!stmt) lookups.set(deps.db, (stmt = prepareLookup(deps.db)));
  const hash = hashToken(token);
  const row = stmt.get({ hash });
  if (!row) return null;
  if (row.expiresAt <= deps.now().getTime()) {
    deps.db.delete(sessions).where(eq(sessions.idHash, hash)).run();
    return null;
  }
  return { id: row.id, email: row.email, name: row.name, sessionHash: hash };
}

export function destroySession(deps: AppDeps, sessionHash: string): void {
  deps.db.delete(sessions).where(eq(sessions.idHash, sessionHash)).run();
}
