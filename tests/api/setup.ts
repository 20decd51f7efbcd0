import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { plainJeans } from '../../catalog/engine/test-fixtures';
import { type Catalog, loadCatalog } from '../../catalog/index';
import { loadCatalogFromDisk } from '../../server/catalog-files';
import { type AppDeps, createDeps } from '../../server/deps';
import { type EnvInput, loadEnv } from '../../server/env';
import { createApp } from '../../server/http/app';
import type { AppEnv } from '../../server/http/types';
import { seedPartners } from '../../server/webhooks/partners';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON responses are checked by the tests themselves
export type Json = any;

let catalog: Catalog | undefined;

export const JEANS = plainJeans;

export const SHIP_TO = {
  name: 'Ada Lovelace',
  line1: '12 Analytical Row',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

export interface TestApp {
  app: Hono<AppEnv>;
  deps: AppDeps;
  dir: string;
  close: () => void;
  /** JSON request helper: sends `body` as JSON, returns status, headers and parsed body. */
  call: (
    method: string,
    path: string,
    options?: { body?: unknown; raw?: string; cookie?: string; headers?: Record<string, string> },
  ) => Promise<{ status: number; headers: Headers; body: Json; cookie?: string }>;
}

/** A fresh app on a fresh SQLite file in a temp dir; `close()` removes it. */
export function createTestApp(env: EnvInput = {}, now?: () => Date): TestApp {
  catalog ??= loadCatalogFromDisk();
  const dir = mkdtempSync(join(tmpdir(), 'tailorloop-api-'));
  const deps = createDeps({
    env: loadEnv({
      DATABASE_PATH: join(dir, 'test.db'),
      ADMIN_TOKEN: 'test-admin-token-0123456789',
      PARTNERS_SANDBOX: '0',
      SCRYPT_LOG_N: '12',
      SQLITE_SYNCHRONOUS: 'NORMAL',
      // Every in-process request comes from one "address"; a file registers more than a shop allows.
      REGISTRATIONS_PER_HOUR: '100000',
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
    }),
    catalog,
    ...(now ? { now } : {}),
  });
  seedPartners(deps.db, catalog, deps.now);
  const app = createApp(deps);
  const call: TestApp['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    if (options.cookie) headers.cookie = options.cookie;
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    const setCookie = res.headers.get('set-cookie');
    const cookie = setCookie ? setCookie.split(';')[0] : undefined;
    return { status: res.status, headers: res.headers, body: parsed as Json, ...(cookie ? { cookie } : {}) };
  };
  return {
    app,
    deps,
    dir,
    call,
    close: () => {
      deps.sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** Registers a new customer and returns its session cookie (`name=value`). */
export async function signUp(
  t: TestApp,
  overrides: { email?: string; name?: string; password?: string } = {},
) {
  seq++;
  const email = overrides.email ?? `shopper${seq}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = overrides.password ?? 'correct horse battery';
  const res = await t.call('POST', '/api/auth/register', {
    body: { email, password, name: overrides.name ?? `Shopper ${seq}` },
  });
  if (res.status !== 201 || !res.cookie)
    throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { cookie: res.cookie, email, password, customer: res.body };
}

export function expectProblem(res: { status: number; headers: Headers; body: Json }, status: number) {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
  const ct = res.headers.get('content-type') ?? '';
  if (!ct.startsWith('application/problem+json')) throw new Error(`expected problem+json, got ${ct}`);
  if (typeof res.body?.type !== 'string' || res.body.status !== status || typeof res.body.title !== 'string')
    throw new Error(`not a problem document: ${JSON.stringify(res.body)}`);
  return res.body as { type: string; title: string; status: number; code: string; errors?: Json[] };
}

/**
 * Today's catalog after an edit: `edit` gets a deep copy of each product file's JSON (and the
 * partners file) and may change them; returns the loaded catalog. For "the catalog moved on" tests.
 */
export function editedCatalog(
  edit: (files: { products: Record<string, Json>; partners: Json }) => void,
): Catalog {
  const dir = join(import.meta.dirname, '..', '..', 'catalog');
  const products: Record<string, Json> = {};
  for (const f of readdirSync(join(dir, 'products')).filter((f) => f.endsWith('.json')))
    products[f] = JSON.parse(readFileSync(join(dir, 'products', f), 'utf8'));
  const partners = JSON.parse(readFileSync(join(dir, 'partners.json'), 'utf8'));
  edit({ products, partners });
  return loadCatalog({
    products: Object.entries(products).map(([file, data]) => ({ file, data })),
    partners: { file: 'partners.json', data: partners },
  });
}

/** Removes an option from a product file and every rule that mentions it (for "retired option" tests). */
export function retireOption(product: Json, moduleId: string, optionId: string): void {
  const m = product.modules.find((x: Json) => x.id === moduleId);
  m.options = m.options.filter((o: Json) => o.id !== optionId);
  if (m.default === optionId) delete m.default;
  const mentions = (x: Json): boolean => JSON.stringify(x).includes(`"${optionId}"`);
  product.rules = (product.rules ?? []).filter((r: Json) => !mentions(r));
  product.version = '2027.1.0';
}
