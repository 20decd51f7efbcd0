import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Times are integer milliseconds since the epoch, like the webhook tables.

export const customers = sqliteTable('customers', {
  id: text('id').primaryKey(),
  /** Normalised: trimmed, NFC, lower-cased. Unique. */
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  /** `scrypt$logN$r$p$salt$hash` (base64url). */
  passwordHash: text('password_hash').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** Server-side sessions. Only the SHA-256 of the cookie value is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /**
     * Last use, written at most once an hour (idle timeout, least-recently-used eviction). Null for
     * sessions started before migration 0009: their creation time stands in.
     */
    lastSeenAt: integer('last_seen_at'),
  },
  (t) => [index('sessions_customer_idx').on(t.customerId)],
);

/**
 * Attempts counted for rate limits, kept as long as the longest window that reads them (an hour):
 * failed logins per account and per address, and registrations per address (named for its first use).
 */
export const loginFailures = sqliteTable(
  'login_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `account:<normalised email>` or `address:<ip>` (failed logins), `register:<ip>` (registrations). */
    key: text('key').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('login_failures_key_at_idx').on(t.key, t.at)],
);
