import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, expectProblem, JEANS, SHIP_TO, signUp } from './setup';

// A full disk (or a storage error) is the server's trouble and passes: the answer is a 503
// problem with Retry-After, nothing is half-written, and the same request succeeds once space is
// back. SQLite's max_page_count makes the database file "full" exactly as a full disk does
// (SQLITE_FULL), without needing a small filesystem.
const t = createTestApp();
afterAll(() => t.close());

const count = (table: string) =>
  (t.deps.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const TABLES = [
  'orders',
  'order_lines',
  'order_events',
  'webhook_messages',
  'webhook_payloads',
  'idempotency_keys',
];

describe('storage full', () => {
  it('an order is a 503 with Retry-After, writes nothing, and goes through with the same key once space is back', async () => {
    const { cookie } = await signUp(t);
    const order = { lines: [{ productId: 'jeans', selection: JEANS, quantity: 1 }], shipTo: SHIP_TO };
    const place = (key: string) =>
      t.call('POST', '/api/orders', { body: order, cookie, headers: { 'idempotency-key': key } });
    // No page may be added from now on: orders go in while their pages have room, then one fails.
    t.deps.sqlite.pragma(`max_page_count = ${t.deps.sqlite.pragma('page_count', { simple: true })}`);
    let failedKey = '';
    try {
      for (let i = 0; i < 200 && !failedKey; i++) {
        const before = TABLES.map(count);
        const res = await place(`full-${i}`);
        if (res.status === 201) continue;
        failedKey = `full-${i}`;
        const p = expectProblem(res, 503);
        expect(p.code).toBe('unavailable');
        expect(res.headers.get('retry-after')).toBeTruthy();
        expect(TABLES.map(count)).toEqual(before);
        expect(t.deps.sqlite.inTransaction).toBe(false);
      }
      expect(failedKey).not.toBe('');
    } finally {
      t.deps.sqlite.pragma('max_page_count = 4294967294');
    }
    const orders = count('orders');
    const ok = await place(failedKey);
    expect(ok.status).toBe(201);
    expect(count('orders')).toBe(orders + 1);
  });
});

// A database that turns read-only while the server runs (a remount, a permission change, a disk
// going bad) is the same kind of trouble. `query_only` makes SQLite refuse every write with
// SQLITE_READONLY, which is what a read-only file gives, without needing a filesystem root
// cannot write to (root ignores chmod).
describe('storage read-only', () => {
  it('writes are 503 with Retry-After and change nothing, reads still answer, and writes go through once it is writable again', async () => {
    const { cookie } = await signUp(t);
    const order = { lines: [{ productId: 'jeans', selection: JEANS, quantity: 1 }], shipTo: SHIP_TO };
    const place = () =>
      t.call('POST', '/api/orders', { body: order, cookie, headers: { 'idempotency-key': 'read-only-1' } });
    const before = TABLES.map(count);
    t.deps.sqlite.pragma('query_only = ON');
    try {
      const writes = [
        await place(),
        await t.call('POST', '/api/specs', {
          body: { name: 'Mine', productId: 'jeans', selection: JEANS },
          cookie,
        }),
        await t.call('POST', '/api/auth/register', {
          body: { email: 'read-only@example.com', password: 'correct horse battery', name: 'R' },
        }),
      ];
      for (const res of writes) {
        const p = expectProblem(res, 503);
        expect(p.code).toBe('unavailable');
        expect(res.headers.get('retry-after')).toBeTruthy();
      }
      expect(TABLES.map(count)).toEqual(before);
      expect(t.deps.sqlite.inTransaction).toBe(false);
      expect((await t.call('GET', '/api/orders', { cookie })).status).toBe(200);
      expect((await t.call('GET', '/api/products')).status).toBe(200);
    } finally {
      t.deps.sqlite.pragma('query_only = OFF');
    }
    expect((await place()).status).toBe(201);
    expect(count('orders')).toBe(before[0]! + 1);
  });
});
