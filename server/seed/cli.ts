import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadCatalogFromDisk } from '../catalog-files';
import { databaseInUse, openDatabase } from '../db/client';
import { hashPassword } from '../services/customers/password';
import { seedPartners } from '../webhooks/partners';
import { seedDemo } from './demo';

// `npm run seed:demo [-- --customers 2000 --orders 20000 --seed 42 --reset]`: fills DATABASE_PATH
// (default ./data/tailorloop.db) with a realistic two-year history for the operations console.
// It refuses to touch a database that already has orders unless --reset deletes it first.

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '2000' },
    orders: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '42' },
    years: { type: 'string', default: '2' },
    now: { type: 'string' },
    database: { type: 'string' },
    reset: { type: 'boolean', default: false },
  },
});

function positiveInt(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive whole number (got "${raw}")`);
    process.exit(2);
  }
  return n;
}

const path = values.database ?? process.env.DATABASE_PATH ?? './data/tailorloop.db';
const now = values.now ? Date.parse(values.now) : Date.now();
if (Number.isNaN(now)) {
  console.error(`--now must be an ISO date (got "${values.now}")`);
  process.exit(2);
}
// Never under a running shop. Deleting the file (--reset) left the shop serving, and writing to,
// the deleted copy until it restarted: the seeded history never showed, and everything written
// meanwhile was lost. Seeding a live file without --reset puts tens of thousands of made-up orders
// into the shop, and their pending webhooks in front of its dispatcher, which sends them.
if (path !== ':memory:' && databaseInUse(path)) {
  console.error(
    `${path} is open in another process (a running npm start or npm run dispatcher?): stop it, seed, then start it again`,
  );
  process.exit(1);
}
if (values.reset && path !== ':memory:')
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix);

const catalog = loadCatalogFromDisk();
const { sqlite, db } = openDatabase(path, { synchronous: 'NORMAL' });
const existing = sqlite.prepare('SELECT count(*) AS n FROM orders').get() as { n: number };
if (existing.n > 0) {
  console.error(`${path} already has ${existing.n} orders; run with --reset to start it again from scratch`);
  process.exit(1);
}
seedPartners(db, catalog);
const passwordHash = await hashPassword('demo-password');
const result = seedDemo(sqlite, catalog, {
  customers: positiveInt('customers', values.customers),
  orders: positiveInt('orders', values.orders),
  seed: positiveInt('seed', values.seed),
  years: positiveInt('years', values.years),
  now,
  passwordHash,
  remakeLimit: 2,
});
sqlite.pragma('wal_checkpoint(TRUNCATE)');
sqlite.exec('ANALYZE');
sqlite.close();
console.log(`Seeded ${path} in ${result.ms} ms:`);
console.log(JSON.stringify(result, null, 2));
console.log(
  'Every demo customer signs in with the password "demo-password" (demo@tailorloop.test has a few orders).',
);
