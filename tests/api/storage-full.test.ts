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
