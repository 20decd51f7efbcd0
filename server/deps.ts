import type Database from 'better-sqlite3';
import type { Catalog } from '../catalog/index';
import { loadCatalogFromDisk } from './catalog-files';
import { type Db, openDatabase } from './db/client';
import { type Env, type EnvInput, loadEnv } from './env';

/** Everything a route or service needs, passed in (never imported as a global) so tests can swap it. */
export interface AppDeps {
  db: Db;
  sqlite: Database.Database;
  catalog: Catalog;
  env: Env;
  now: () => Date;
}

/**
 * Builds deps for a database file: opens and migrates it, loads the catalog from disk (or uses
 * the one given). Tests pass a temp DATABASE_PATH and overrides; `npm start` passes process.env.
 */
export function createDeps(
  options: { env?: Env | EnvInput; catalog?: Catalog; now?: () => Date } = {},
): AppDeps {
  const env = isEnv(options.env) ? options.env : loadEnv(toStrings(options.env ?? process.env));
  const { sqlite, db } = openDatabase(env.DATABASE_PATH, { synchronous: env.SQLITE_SYNCHRONOUS });
  return {
    db,
    sqlite,
    catalog: options.catalog ?? loadCatalogFromDisk(),
    env,
    now: options.now ?? (() => new Date()),
  };
}

function isEnv(e: unknown): e is Env {
  return typeof e === 'object' && e !== null && 'ADMIN_TOKEN_GENERATED' in e;
}

function toStrings(input: object): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(input)) out[k] = v === undefined ? undefined : String(v);
  return out;
}
