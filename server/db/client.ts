import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index';

export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema>;

export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

export interface OpenOptions {
  /** FULL (default): a committed transaction survives a power cut. NORMAL: survives a crash only. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/**
 * Opens (creating if needed) the SQLite file with the settings every connection must have:
 * WAL so readers never block the writer, synchronous=FULL so an acknowledged order is on disk,
 * a busy timeout so a second process waits instead of failing, enforced foreign keys, and
 * temporary journals in memory.
 */
export function openDatabase(path: string, options: OpenOptions = {}): { sqlite: Database.Database; db: Db } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Savepoint journals (group commit runs every order in its own savepoint) and temp tables in
  // memory: on disk each savepoint wrote its first-touched pages to a temp file with a pwrite per
  // page, which made every insert of the order path about 3x slower (decision 044).
  sqlite.pragma('temp_store = MEMORY');
  const db = drizzle(sqlite, { schema });
  if (options.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return { sqlite, db };
}

/**
 * Whether another connection (a running `npm start`, `npm run dispatcher`) has the SQLite file at
 * `path` open. A WAL connection keeps a shared lock on the file for as long as it is open, so an
 * exclusive lock taken without waiting fails exactly then. False for a file that does not exist.
 */
export function databaseInUse(path: string): boolean {
  if (path === ':memory:' || !existsSync(path)) return false;
  const probe = new Database(path, { fileMustExist: true });
  try {
    probe.pragma('busy_timeout = 0');
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
    probe.exec('COMMIT');
    return false;
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw e;
  } finally {
    probe.close();
  }
}

/**
 * Runs `fn` in a write transaction that takes the write lock at BEGIN (IMMEDIATE), so two
 * writers never both read, then fail to upgrade with SQLITE_BUSY halfway through. Nested calls
 * become savepoints. `fn` must be synchronous.
 */
export function writeTransaction<T>(sqlite: Database.Database, fn: () => T): T {
  return sqlite.transaction(fn).immediate();
}
