/**
 * `npm run bench -- insights`: seeds the demo history (2,000 customers, 20,000 orders, seed 42)
 * into a temp SQLite file, then times the operations console's queries in-process through the
 * Hono app (`app.request`, JSON serialisation included): each endpoint once cold (first call
 * after opening the database), then 25 timed calls after 3 warm-up calls. Budget: 200 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalogFromDisk } from '../../server/catalog-files';
import { createDeps } from '../../server/deps';
import { loadEnv } from '../../server/env';
import { createApp } from '../../server/http/app';
import { seedDemo } from '../../server/seed/demo';
import { seedPartners } from '../../server/webhooks/partners';

const dir = mkdtempSync(join(tmpdir(), 'tailorloop-insights-bench-'));
const catalog = loadCatalogFromDisk();
const env = loadEnv({
  DATABASE_PATH: join(dir, 'bench.db'),
  ADMIN_TOKEN: 'bench-admin-token-0123456789',
  PARTNERS_SANDBOX: '0',
  SQLITE_SYNCHRONOUS: 'NORMAL',
});
const NOW = Date.UTC(2026, 10, 23, 12);
const seeding = createDeps({ env, catalog, now: () => new Date(NOW) });
seedPartners(seeding.db, catalog, seeding.now);
const seeded = seedDemo(seeding.sqlite, catalog, {
  customers: 2000,
  orders: 20000,
  seed: 42,
  now: NOW,
  years: 2,
  passwordHash: 'x',
  remakeLimit: 2,
});
seeding.sqlite.exec('ANALYZE');
seeding.sqlite.close();
console.log(`seeded in ${seeded.ms} ms: ${JSON.stringify(seeded)}`);

// A fresh connection, as `npm start` would have.
const deps = createDeps({ env, catalog, now: () => new Date(NOW) });
const app = createApp(deps);
const headers = { authorization: 'Bearer bench-admin-token-0123456789' };
const someCustomer = (
  deps.sqlite
    .prepare('SELECT customer_id FROM orders GROUP BY customer_id ORDER BY count(*) DESC LIMIT 1')
    .get() as {
    customer_id: string;
  }
).customer_id;
const someEmail = (
  deps.sqlite.prepare('SELECT email FROM customers WHERE id = ?').get(someCustomer) as { email: string }
).email;

const endpoints: Array<[string, string]> = [
  ['customer tiers, Pareto, 3x3 grid', '/api/admin/insights/customers'],
  ['customer list (top 100 by revenue)', '/api/admin/customers?limit=100'],
  ['customer list, cell high/low, CSV', '/api/admin/customers?volume=high&satisfaction=low&format=csv'],
  ['one customer page (most orders)', `/api/admin/customers/${someCustomer}`],
  ['feedback & service charts, 90 days', '/api/admin/insights/service?days=90'],
  ['feedback & service charts, 730 days', '/api/admin/insights/service?days=730'],
  ['partners: quality 90 d, delivery 24 h/7 d', '/api/admin/insights/partners?days=90'],
  ['partners: quality over 2 years', '/api/admin/insights/partners?days=730'],
  ['orders search by email', `/api/admin/orders?q=${encodeURIComponent(someEmail)}`],
  ['orders with a failed delivery', '/api/admin/orders?failed=1'],
  ['orders newest 50', '/api/admin/orders'],
];

async function time(path: string): Promise<number> {
  const t0 = performance.now();
  const res = await app.request(path, { headers });
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
  return ms;
}

const rows: string[] = [];
for (const [name, path] of endpoints) {
  const cold = await time(path);
  for (let i = 0; i < 3; i++) await time(path);
  const runs: number[] = [];
  for (let i = 0; i < 25; i++) runs.push(await time(path));
  runs.sort((a, b) => a - b);
  const p50 = runs[12]!;
  const p95 = runs[Math.ceil(0.95 * runs.length) - 1]!;
  rows.push(
    `| ${name} | ${cold.toFixed(1)} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${runs.at(-1)!.toFixed(1)} | ${p95 < 200 ? 'yes' : 'NO'} |`,
  );
}
console.log(
  `\nRun of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus()[0]?.model} ×${cpus().length}, Node ${process.version}\n`,
);
console.log('| query | cold ms | p50 ms | p95 ms | max ms | p95 < 200 ms |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
deps.sqlite.close();
rmSync(dir, { recursive: true, force: true });
