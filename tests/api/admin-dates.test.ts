import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectProblem, JEANS, type Json, SHIP_TO, signUp, type TestApp } from './setup';

// Every date query parameter of the operator API takes a real ISO 8601 date or date-time and
// nothing else: `from=1` was read by Date.parse as the year 2001, `2026-02-30` as 2 March.
// The routes with date parameters (the others take none; `days` is a count, `before` an id):
const DATE_PARAMS: Array<{ path: string; param: string }> = [
  { path: '/api/admin/orders', param: 'from' },
  { path: '/api/admin/orders', param: 'to' },
];

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };
let t: TestApp;
let placedAt: number;

beforeAll(async () => {
  t = createTestApp();
  const who = await signUp(t);
  const res = await t.call('POST', '/api/orders', {
    cookie: who.cookie,
    headers: { 'idempotency-key': 'dates-1' },
    body: { lines: [{ productId: 'jeans', selection: JEANS, quantity: 1 }], shipTo: SHIP_TO },
  });
  expect(res.status).toBe(201);
  placedAt = Date.parse(res.body.createdAt);
});
afterAll(() => t.close());

const NOT_DATES = [
  '1',
  '2026',
  '1700000000000',
  'yesterday',
  'Nov 23 2026',
  '2026-11-23 10:00',
  '2026-02-30',
  '2026-13-01',
  '2026-11-23T25:00Z',
  '2026-11-23T10:00:00+0200',
  '+002026-11-23',
  '2026-11-23T',
  '2026-11-23Z',
  '2026-11-23T10:00:00.123+02:00junk',
];

describe('date query parameters of the operator API', () => {
  for (const { path, param } of DATE_PARAMS) {
    it(`${path}?${param}= refuses what is not an ISO 8601 date, naming ${param}`, async () => {
      for (const value of NOT_DATES) {
        const res = await t.call('GET', `${path}?${param}=${encodeURIComponent(value)}`, { headers: ADMIN });
        const p = expectProblem(res, 422);
        expect(
          p.errors?.map((e: Json) => e.path),
          value,
        ).toEqual([param]);
      }
    });

    it(`${path}?${param}= takes a date, a date-time with an offset, or one without (read as UTC)`, async () => {
      for (const value of [
        '2026-11-23',
        '2024-02-29',
        '2026-11-23T10:00Z',
        '2026-11-23T10:00:00Z',
        '2026-11-23T10:00:00.5+02:00',
        '2026-11-23T10:00',
      ]) {
        const res = await t.call('GET', `${path}?${param}=${encodeURIComponent(value)}`, { headers: ADMIN });
        expect(res.status, value).toBe(200);
      }
    });
  }

  it('filters on the instant given', async () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    const count = async (query: string) =>
      (await t.call('GET', `/api/admin/orders?${query}`, { headers: ADMIN })).body.total as number;
    expect(await count(`from=${encodeURIComponent(iso(placedAt))}`)).toBe(1);
    expect(await count(`from=${encodeURIComponent(iso(placedAt + 1))}`)).toBe(0);
    expect(await count(`to=${encodeURIComponent(iso(placedAt))}`)).toBe(0);
    expect(await count(`to=${encodeURIComponent(iso(placedAt + 1))}`)).toBe(1);
    // Without an offset a date-time is UTC, whatever the server's time zone.
    const local = iso(placedAt).slice(0, 23);
    expect(await count(`from=${local}`)).toBe(1);
    expect(await count(`to=${local}`)).toBe(0);
    // A date alone is midnight UTC of that day.
    const day = iso(placedAt).slice(0, 10);
    expect(await count(`from=${day}`)).toBe(1);
    expect(await count(`to=${day}`)).toBe(0);
  });
});
