import { createHmac, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sign } from '../../server/webhooks/signing';
import { createTestApp, expectProblem, type Json, type TestApp } from '../api/setup';
import { enqueue } from './helpers';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };
let t: TestApp;

beforeEach(() => {
  t = createTestApp({ WEBHOOK_ALLOW_PRIVATE: '0' });
});
afterEach(() => t.close());

function secretOf(id: string): string {
  return (t.deps.sqlite.prepare('SELECT secret FROM partners WHERE id = ?').get(id) as { secret: string })
    .secret;
}

/** An order as the order service writes it: two workshop lines, one shirtmaker line, shipped by 3pl-eu. */
function insertOrder(sqlite: Database.Database): { orderId: string; lines: Record<string, string[]> } {
  const now = Date.now();
  const customerId = `cus_${randomBytes(6).toString('hex')}`;
  sqlite
    .prepare('INSERT INTO customers (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(customerId, `${customerId}@example.com`, 'Ada', 'x', now);
  const orderId = `ord_${randomBytes(8).toString('hex')}`;
  sqlite
    .prepare(
      `INSERT INTO orders (id, customer_id, status, currency, total, ship_to, three_pl_id, three_pl_route, three_pl_reason,
                           catalog_version, created_at, updated_at)
       VALUES (?, ?, 'placed', 'EUR', 30000, '{}', '3pl-eu', 'eu', 'EU', '1', ?, ?)`,
    )
    .run(orderId, customerId, now, now);
  const lines: Record<string, string[]> = {};
  ['workshop', 'workshop', 'shirtmaker'].forEach((supplier, i) => {
    const id = `line_${randomBytes(6).toString('hex')}`;
    (lines[supplier] ??= []).push(id);
    sqlite
      .prepare(
        `INSERT INTO order_lines (id, order_id, position, product_id, product_version, selection, spec_code, options, quantity,
                                  unit_price, price_lines, supplier_id, route_id, route_reason, status)
         VALUES (?, ?, ?, 'jeans', '1', '{}', 'J-1', '[]', 1, 10000, '[]', ?, 'r', 'why', 'placed')`,
      )
      .run(id, orderId, i, supplier);
  });
  sqlite
    .prepare("INSERT INTO order_events (order_id, status, at, source) VALUES (?, 'placed', ?, 'customer')")
    .run(orderId, now);
  for (const p of ['workshop', 'shirtmaker', '3pl-eu']) enqueue(sqlite, p, { orderId });
  return { orderId, lines };
}

let seq = 0;
async function post(
  partnerId: string,
  type: string,
  data: Record<string, unknown>,
  o: { secret?: string; id?: string; ts?: number; body?: string } = {},
) {
  const id = o.id ?? `evt_${++seq}_${randomBytes(4).toString('hex')}`;
  const ts = o.ts ?? Math.floor(Date.now() / 1000);
  const body = o.body ?? JSON.stringify({ type, timestamp: new Date().toISOString(), data });
  const signature = new Webhook(o.secret ?? secretOf(partnerId)).sign(id, new Date(ts * 1000), body);
  return t.call('POST', `/api/partners/${partnerId}/events`, {
    raw: body,
    headers: { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature },
  });
}

function order(orderId: string) {
  const o = t.deps.sqlite.prepare('SELECT status FROM orders WHERE id = ?').get(orderId) as {
    status: string;
  };
  const lines = t.deps.sqlite
    .prepare('SELECT supplier_id, status FROM order_lines WHERE order_id = ? ORDER BY position')
    .all(orderId) as { supplier_id: string; status: string }[];
  const events = t.deps.sqlite
    .prepare('SELECT status, detail, source FROM order_events WHERE order_id = ? ORDER BY id')
    .all(orderId) as { status: string; detail: string | null; source: string }[];
  return { status: o.status, lines: lines.map((l) => l.status), events };
}

describe('admin: partners', () => {
  it('401 without the bearer token, with a wrong one, on every admin route', async () => {
    for (const [m, p] of [
      ['GET', '/api/admin/partners'],
      ['PATCH', '/api/admin/partners/workshop'],
      ['POST', '/api/admin/partners/workshop/rotate-secret'],
      ['GET', '/api/admin/deliveries'],
      ['POST', '/api/admin/deliveries/msg_x/redeliver'],
      ['GET', '/api/admin/inbound-events'],
      // The console's routes: one gate on /api/admin/* covers them all (server/http/admin-auth.ts).
      ['GET', '/api/admin/orders'],
      ['POST', '/api/admin/orders/ord_x/cancel'],
      ['GET', '/api/admin/customers'],
      ['GET', '/api/admin/customers/cus_x'],
      ['GET', '/api/admin/insights/customers'],
      ['GET', '/api/admin/complaints'],
      ['POST', '/api/admin/complaints/cmp_x/resolve'],
    ] as const) {
      expectProblem(await t.call(m, p), 401);
      expectProblem(await t.call(m, p, { headers: { authorization: 'Bearer nope' } }), 401);
    }
  });

  it('401 without the token also on an admin path that does not exist, so a stranger cannot map them', async () => {
    for (const [m, p] of [
      ['GET', '/api/admin/secrets'],
      ['DELETE', '/api/admin/partners'],
      ['POST', '/api/admin/partners/workshop/nope'],
    ] as const) {
      const res = await t.call(m, p);
      expectProblem(res, 401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    // With the token, the usual 404 and 405.
    const auth = { authorization: `Bearer ${t.deps.env.ADMIN_TOKEN}` };
    expectProblem(await t.call('GET', '/api/admin/secrets', { headers: auth }), 404);
    expectProblem(await t.call('DELETE', '/api/admin/partners', { headers: auth }), 405);
  });

  it('lists partners without secrets', async () => {
    const res = await t.call('GET', '/api/admin/partners', { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.body.map((p: { id: string }) => p.id).sort()).toEqual(
      ['3pl-eu', '3pl-na', '3pl-world', 'selvedge-mill', 'shirtmaker', 'workshop'].sort(),
    );
    expect(res.body[0]).toMatchObject({ id: expect.any(String), name: expect.any(String), enabled: true });
    expect(JSON.stringify(res.body)).not.toMatch(/whsec_|secret"/);
  });

  it('PATCH sets url and enabled; refuses non-http(s), private and loopback URLs', async () => {
    const ok = await t.call('PATCH', '/api/admin/partners/workshop', {
      headers: ADMIN,
      body: { url: 'https://93.184.216.34/hooks', enabled: false },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      id: 'workshop',
      url: 'https://93.184.216.34/hooks',
      enabled: false,
      kind: 'supplier',
    });
    for (const url of [
      'ftp://example.com/',
      'http://127.0.0.1:9000/',
      'http://[::ffff:10.0.0.1]/',
      'http://localhost/',
      'nope',
    ]) {
      const bad = expectProblem(
        await t.call('PATCH', '/api/admin/partners/workshop', { headers: ADMIN, body: { url } }),
        422,
      );
      expect(bad.errors?.[0]).toMatchObject({ path: 'url' });
    }
    expectProblem(
      await t.call('PATCH', '/api/admin/partners/workshop', { headers: ADMIN, body: { enabled: 'yes' } }),
      422,
    );
    expectProblem(await t.call('PATCH', '/api/admin/partners/workshop', { headers: ADMIN, raw: '{' }), 400);
    expectProblem(
      await t.call('PATCH', '/api/admin/partners/nobody', { headers: ADMIN, body: { enabled: true } }),
      404,
    );
  });

  it('PATCH takes back the object GET returned: read-only fields equal to the current value are ignored', async () => {
    const list = await t.call('GET', '/api/admin/partners', { headers: ADMIN });
    const whole = list.body.find((p: { id: string }) => p.id === 'workshop');
    const res = await t.call('PATCH', '/api/admin/partners/workshop', {
      headers: ADMIN,
      body: { ...whole, url: 'https://93.184.216.34/hooks', enabled: false },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'workshop', url: 'https://93.184.216.34/hooks', enabled: false });
    // GET one, sent back as it is: nothing changes.
    const one = await t.call('GET', '/api/admin/partners/workshop', { headers: ADMIN });
    const again = await t.call('PATCH', '/api/admin/partners/workshop', { headers: ADMIN, body: one.body });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: 'workshop', url: 'https://93.184.216.34/hooks', enabled: false });
    // A partner without a URL round-trips too (url: null).
    const tpl = (await t.call('GET', '/api/admin/partners/3pl-na', { headers: ADMIN })).body;
    expect((await t.call('PATCH', '/api/admin/partners/3pl-na', { headers: ADMIN, body: tpl })).status).toBe(
      200,
    );
  });

  it('PATCH with a read-only field that differs is 422 naming it; invalid url/enabled stay 422', async () => {
    const whole = (await t.call('GET', '/api/admin/partners/workshop', { headers: ADMIN })).body;
    for (const [field, value] of [
      ['id', 'shirtmaker'],
      ['name', 'Someone else'],
      ['kind', '3pl'],
    ] as const) {
      const bad = expectProblem(
        await t.call('PATCH', '/api/admin/partners/workshop', {
          headers: ADMIN,
          body: { ...whole, [field]: value, enabled: false },
        }),
        422,
      );
      expect(bad.errors).toContainEqual(expect.objectContaining({ path: field, code: 'read_only' }));
    }
    // Nothing was applied by the refused requests.
    expect((await t.call('GET', '/api/admin/partners/workshop', { headers: ADMIN })).body.enabled).toBe(true);
    const badUrl = expectProblem(
      await t.call('PATCH', '/api/admin/partners/workshop', {
        headers: ADMIN,
        body: { ...whole, url: 'ftp://x/' },
      }),
      422,
    );
    expect(badUrl.errors?.[0]).toMatchObject({ path: 'url' });
    const badEnabled = expectProblem(
      await t.call('PATCH', '/api/admin/partners/workshop', {
        headers: ADMIN,
        body: { ...whole, enabled: 'no' },
      }),
      422,
    );
    expect(badEnabled.errors?.[0]).toMatchObject({ path: 'enabled' });
    // A partner that does not exist is 404 whatever the body (it was the body's 422 or 400).
    for (const raw of [JSON.stringify({ enabled: 'no' }), '{'])
      expectProblem(await t.call('PATCH', '/api/admin/partners/nope', { headers: ADMIN, raw }), 404);
  });

  it('PATCH names the fields it ignored, so a typo (`enable`, `URL`) is not a silent no-op; still 200', async () => {
    const typo = await t.call('PATCH', '/api/admin/partners/workshop', {
      headers: ADMIN,
      body: { enable: false, URL: 'https://93.184.216.34/hooks' },
    });
    expect(typo.status).toBe(200);
    expect(typo.body).toMatchObject({
      id: 'workshop',
      enabled: true,
      url: null,
      ignoredFields: ['enable', 'URL'],
    });
    // Known fields still apply beside an unknown one.
    const mixed = await t.call('PATCH', '/api/admin/partners/workshop', {
      headers: ADMIN,
      body: { enabled: false, comment: 'paused for the holidays' },
    });
    expect(mixed.body).toMatchObject({ enabled: false, ignoredFields: ['comment'] });
    // The object GET returns, and the one PATCH returns, sent back whole: nothing to report.
    const whole = (await t.call('GET', '/api/admin/partners/workshop', { headers: ADMIN })).body;
    const back = await t.call('PATCH', '/api/admin/partners/workshop', { headers: ADMIN, body: whole });
    expect(back.status).toBe(200);
    expect(back.body).not.toHaveProperty('ignoredFields');
    const again = await t.call('PATCH', '/api/admin/partners/workshop', { headers: ADMIN, body: mixed.body });
    expect(again.body).not.toHaveProperty('ignoredFields');
    // GET never carries it.
    expect((await t.call('GET', '/api/admin/partners/workshop', { headers: ADMIN })).body).not.toHaveProperty(
      'ignoredFields',
    );
  });

  it('PATCH enabled:false on a partner a 410 disabled keeps the reason it was disabled', async () => {
    t.deps.sqlite
      .prepare("UPDATE partners SET enabled = 0, disabled_reason = 'answered 410 Gone' WHERE id = 'workshop'")
      .run();
    const whole = (await t.call('GET', '/api/admin/partners/workshop', { headers: ADMIN })).body;
    const res = await t.call('PATCH', '/api/admin/partners/workshop', { headers: ADMIN, body: whole });
    expect(res.body).toMatchObject({ enabled: false, disabledReason: 'answered 410 Gone' });
    const on = await t.call('PATCH', '/api/admin/partners/workshop', {
      headers: ADMIN,
      body: { enabled: true },
    });
    expect(on.body).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('PATCH refuses a URL carrying a user name or password: GET lists partners without secrets', async () => {
    for (const url of ['https://user:pass@93.184.216.34/hooks', 'https://token@93.184.216.34/hooks']) {
      const bad = expectProblem(
        await t.call('PATCH', '/api/admin/partners/workshop', { headers: ADMIN, body: { url } }),
        422,
      );
      expect(bad.errors?.[0]).toMatchObject({ path: 'url', code: 'credentials' });
    }
    const list = await t.call('GET', '/api/admin/partners', { headers: ADMIN });
    expect(JSON.stringify(list.body)).not.toContain('pass@');
  });

  it('PATCH with the URL the partner already has does not check it again (a round-trip after WEBHOOK_ALLOW_PRIVATE turned 0)', async () => {
    t.deps.sqlite.prepare("UPDATE partners SET url = 'http://127.0.0.1:9/x' WHERE id = 'workshop'").run();
    const whole = (await t.call('GET', '/api/admin/partners/workshop', { headers: ADMIN })).body;
    const res = await t.call('PATCH', '/api/admin/partners/workshop', {
      headers: ADMIN,
      body: { ...whole, enabled: false },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ url: 'http://127.0.0.1:9/x', enabled: false });
    // A new private URL is still refused.
    expectProblem(
      await t.call('PATCH', '/api/admin/partners/workshop', {
        headers: ADMIN,
        body: { url: 'http://127.0.0.1:10/x' },
      }),
      422,
    );
  });

  it('PATCH allows private URLs when WEBHOOK_ALLOW_PRIVATE=1', async () => {
    const t2 = createTestApp({ WEBHOOK_ALLOW_PRIVATE: '1' });
    try {
      const res = await t2.call('PATCH', '/api/admin/partners/workshop', {
        headers: ADMIN,
        body: { url: 'http://127.0.0.1:9/x' },
      });
      expect(res.status).toBe(200);
    } finally {
      t2.close();
    }
  });

  it('rotate-secret returns a new whsec_ secret once; both secrets sign during the grace period', async () => {
    const old = secretOf('workshop');
    const res = await t.call('POST', '/api/admin/partners/workshop/rotate-secret', { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(Buffer.from(res.body.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(res.body.secret).not.toBe(old);
    const row = t.deps.sqlite.prepare('SELECT * FROM partners WHERE id = ?').get('workshop') as {
      previous_secret: string;
      previous_secret_expires_at: number;
    };
    expect(row.previous_secret).toBe(old);
    expect(row.previous_secret_expires_at - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    const list = await t.call('GET', '/api/admin/partners', { headers: ADMIN });
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
  });
});

describe('admin: deliveries', () => {
  it('leaves out lastStatusCode and nextAttemptAt when there is none (CONTRACT: `?`), never null', async () => {
    const fresh = enqueue(t.deps.sqlite, 'workshop', { orderId: 'ord_a' });
    const done = enqueue(t.deps.sqlite, 'shirtmaker', { orderId: 'ord_a' });
    const timedOut = enqueue(t.deps.sqlite, '3pl-eu', { orderId: 'ord_a', type: 'fulfillment.requested' });
    t.deps.sqlite
      .prepare(
        "UPDATE webhook_messages SET status = 'delivered', attempts = 1, last_status_code = 204 WHERE id = ?",
      )
      .run(done);
    t.deps.sqlite
      .prepare(
        "UPDATE webhook_messages SET status = 'failed', attempts = 8, last_error = 'timeout' WHERE id = ?",
      )
      .run(timedOut);
    const list = await t.call('GET', '/api/admin/deliveries', { headers: ADMIN });
    const byId = new Map(list.body.map((d: { id: string }) => [d.id, d]));
    // Pending, never tried: when it goes out, but no status code yet.
    expect(byId.get(fresh)).toMatchObject({ status: 'pending', nextAttemptAt: expect.any(String) });
    expect(byId.get(fresh)).not.toHaveProperty('lastStatusCode');
    // Delivered: the code it got, and no next attempt.
    expect(byId.get(done)).toMatchObject({ status: 'delivered', lastStatusCode: 204 });
    expect(byId.get(done)).not.toHaveProperty('nextAttemptAt');
    // Failed without an answer (a timeout): neither.
    expect(byId.get(timedOut)).not.toHaveProperty('lastStatusCode');
    expect(byId.get(timedOut)).not.toHaveProperty('nextAttemptAt');
    for (const d of list.body) expect(Object.values(d)).not.toContain(null);
    const one = await t.call('GET', `/api/admin/deliveries/${timedOut}`, { headers: ADMIN });
    expect(one.body).not.toHaveProperty('lastStatusCode');
    expect(one.body).not.toHaveProperty('nextAttemptAt');
  });

  it('paging with `before` naming no delivery is 422 naming `before`, not an empty last page', async () => {
    const a = enqueue(t.deps.sqlite, 'workshop', { orderId: 'ord_a' });
    const page = await t.call('GET', `/api/admin/deliveries?before=${a}`, { headers: ADMIN });
    expect(page.status).toBe(200);
    const bad = expectProblem(
      await t.call('GET', '/api/admin/deliveries?before=msg_nope', { headers: ADMIN }),
      422,
    );
    expect(bad.errors?.[0]).toMatchObject({ path: 'before' });
  });

  it('lists by status, partner and order; shows one with its attempts; redelivers with 202', async () => {
    const a = enqueue(t.deps.sqlite, 'workshop', { orderId: 'ord_a' });
    const b = enqueue(t.deps.sqlite, '3pl-eu', { orderId: 'ord_b', type: 'fulfillment.requested' });
    t.deps.sqlite
      .prepare(
        "UPDATE webhook_messages SET status = 'failed', attempts = 8, last_status_code = 500 WHERE id = ?",
      )
      .run(b);
    const all = await t.call('GET', '/api/admin/deliveries', { headers: ADMIN });
    expect(all.status).toBe(200);
    expect(all.body.map((d: { id: string }) => d.id).sort()).toEqual([a, b].sort());
    const failed = await t.call('GET', '/api/admin/deliveries?status=failed', { headers: ADMIN });
    expect(failed.body).toEqual([
      expect.objectContaining({
        id: b,
        partnerId: '3pl-eu',
        eventType: 'fulfillment.requested',
        orderId: 'ord_b',
        status: 'failed',
        attempts: 8,
        lastStatusCode: 500,
      }),
    ]);
    const pending = await t.call('GET', '/api/admin/deliveries?status=pending', { headers: ADMIN });
    expect(pending.body[0]).toMatchObject({ id: a, status: 'pending', nextAttemptAt: expect.any(String) });
    expect(
      (await t.call('GET', '/api/admin/deliveries?partnerId=workshop', { headers: ADMIN })).body,
    ).toHaveLength(1);
    expect(
      (await t.call('GET', '/api/admin/deliveries?orderId=ord_b', { headers: ADMIN })).body,
    ).toHaveLength(1);
    expectProblem(await t.call('GET', '/api/admin/deliveries?status=lost', { headers: ADMIN }), 422);
    // More than one status: repeated or comma-separated (only the first was used), and an empty
    // value means no filter, as for every other parameter (`status=` was 422, `limit=` too).
    const ids = async (q: string) =>
      (await t.call('GET', `/api/admin/deliveries?${q}`, { headers: ADMIN })).body
        .map((d: { id: string }) => d.id)
        .sort();
    expect(await ids('status=pending&status=failed')).toEqual([a, b].sort());
    expect(await ids('status=failed,pending')).toEqual([a, b].sort());
    expect(await ids('status=delivered&status=failed')).toEqual([b]);
    expect(await ids('status=&partnerId=&limit=')).toEqual([a, b].sort());
    const bad = expectProblem(
      await t.call('GET', '/api/admin/deliveries?status=pending&status=lost', { headers: ADMIN }),
      422,
    );
    expect(bad.errors?.[0]?.path).toMatch(/^status/);

    const re = await t.call('POST', `/api/admin/deliveries/${b}/redeliver`, { headers: ADMIN });
    expect(re.status).toBe(202);
    const one = await t.call('GET', `/api/admin/deliveries/${b}`, { headers: ADMIN });
    expect(one.body).toMatchObject({ id: b, status: 'pending', attempts: 0, attemptLog: [] });
    expect(one.body.payload).toMatchObject({ type: 'fulfillment.requested' });
    expectProblem(await t.call('POST', '/api/admin/deliveries/msg_nope/redeliver', { headers: ADMIN }), 404);
  });

  it('a redelivery to a disabled partner or one without a URL says in `note` that it will wait', async () => {
    // The console shows this note instead of "Queued for delivery again.".
    const ok = enqueue(t.deps.sqlite, 'workshop', { orderId: 'ord_ok' });
    const off = enqueue(t.deps.sqlite, '3pl-eu', { orderId: 'ord_off' });
    const bare = enqueue(t.deps.sqlite, '3pl-na', { orderId: 'ord_bare' });
    t.deps.sqlite.prepare("UPDATE partners SET url = 'https://partner.example/hooks'").run();
    t.deps.sqlite.prepare("UPDATE partners SET enabled = 0 WHERE id = '3pl-eu'").run();
    t.deps.sqlite.prepare("UPDATE partners SET url = NULL WHERE id = '3pl-na'").run();
    t.deps.sqlite.prepare("UPDATE webhook_messages SET status = 'failed', attempts = 8").run();
    const re = (id: string) => t.call('POST', `/api/admin/deliveries/${id}/redeliver`, { headers: ADMIN });
    const a = await re(ok);
    expect(a.status).toBe(202);
    expect(a.body.note).toBeUndefined();
    const b = await re(off);
    expect(b.status).toBe(202);
    expect(b.body.note).toBe('partner 3pl-eu is disabled; it goes out once that is fixed');
    const c = await re(bare);
    expect(c.status).toBe(202);
    expect(c.body.note).toBe('partner 3pl-na is without a URL; it goes out once that is fixed');
  });
});

describe('inbound partner events', () => {
  it('401 when unsigned, wrongly signed, signed by another partner, or timestamp > 300 s off', async () => {
    // The server's clock is pinned mid-second. With the real one, "now + 301 s" taken here was
    // only 300 s ahead of the server's whole second when a second ended before it read its clock,
    // and was accepted (a second boundary inside this test's few milliseconds).
    const nowSec = Math.floor(Date.now() / 1000);
    t.close();
    t = createTestApp({ WEBHOOK_ALLOW_PRIVATE: '0' }, () => new Date(nowSec * 1000 + 500));
    const { orderId } = insertOrder(t.deps.sqlite);
    const data = { orderId };
    const body = JSON.stringify({ type: 'production.accepted', timestamp: new Date().toISOString(), data });
    expectProblem(await t.call('POST', '/api/partners/workshop/events', { raw: body }), 401);
    expectProblem(
      await post('workshop', 'production.accepted', data, { secret: secretOf('shirtmaker'), ts: nowSec }),
      401,
    );
    expectProblem(await post('workshop', 'production.accepted', data, { ts: nowSec - 301 }), 401);
    expectProblem(await post('workshop', 'production.accepted', data, { ts: nowSec + 301 }), 401);
    // A signature over another body.
    const id = 'evt_tamper';
    const ts = nowSec;
    const res = await t.call('POST', '/api/partners/workshop/events', {
      raw: body.replace('accepted', 'completed'),
      headers: {
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': sign(secretOf('workshop'), id, ts, body),
      },
    });
    expectProblem(res, 401);
    expect(order(orderId).status).toBe('placed');
    expect(t.deps.sqlite.prepare('SELECT count(*) AS n FROM inbound_events').get()).toEqual({ n: 0 });
  });

  it('walks an order to delivered, per line and rolled up, each transition on the timeline', async () => {
    const { orderId, lines } = insertOrder(t.deps.sqlite);
    let res = await post('workshop', 'production.accepted', { orderId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'applied', duplicate: false, orderStatus: 'in_production' });
    expect(order(orderId).lines).toEqual(['in_production', 'in_production', 'placed']);
    await post('shirtmaker', 'production.accepted', { orderId });
    await post('workshop', 'production.completed', { orderId, lineIds: [lines.workshop![0]] });
    expect(order(orderId)).toMatchObject({
      status: 'in_production',
      lines: ['produced', 'in_production', 'in_production'],
    });
    await post('workshop', 'production.completed', { orderId, lineIds: [lines.workshop![1]] });
    res = await post('shirtmaker', 'production.completed', { orderId });
    expect(res.body.orderStatus).toBe('produced');
    res = await post('3pl-eu', 'shipment.shipped', {
      orderId,
      carrier: 'DHL',
      trackingNumber: 'JD0123',
      trackingUrl: 'https://track.example/JD0123',
    });
    expect(res.body.orderStatus).toBe('shipped');
    const ship = t.deps.sqlite
      .prepare('SELECT carrier, tracking_number, tracking_url FROM shipments WHERE order_id = ?')
      .all(orderId);
    expect(ship).toEqual([
      { carrier: 'DHL', tracking_number: 'JD0123', tracking_url: 'https://track.example/JD0123' },
    ]);
    res = await post('3pl-eu', 'shipment.delivered', { orderId });
    expect(res.body.orderStatus).toBe('delivered');
    const o = order(orderId);
    expect(o.lines).toEqual(['delivered', 'delivered', 'delivered']);
    // Each event carries the order's status after it: a line finished early is told in its detail
    // (and lineIds), the order is `produced` once, when its last line is.
    expect(o.events.map((e) => e.status)).toEqual([
      'placed',
      'in_production',
      'in_production',
      'in_production',
      'in_production',
      'produced',
      'shipped',
      'delivered',
    ]);
    expect(o.events[3]!.detail).toMatch(/finished making it/);
    expect(o.events.at(-2)!.detail).toMatch(/DHL.*JD0123/);
    expect(o.events.at(-1)!.source).toBe('partner:3pl-eu');
  });

  it('the timeline never goes backwards or ahead of the order: one supplier done, another only starting', async () => {
    const { orderId } = insertOrder(t.deps.sqlite);
    const seen: string[] = [];
    for (const [partner, type, data] of [
      ['workshop', 'production.accepted', {}],
      ['workshop', 'production.completed', {}],
      ['shirtmaker', 'production.accepted', {}],
      ['shirtmaker', 'production.completed', {}],
      ['3pl-eu', 'shipment.shipped', { carrier: 'DHL', trackingNumber: 'JD1' }],
      ['3pl-eu', 'shipment.shipped', { carrier: 'DHL', trackingNumber: 'JD2' }],
      ['workshop', 'production.completed', {}],
      ['3pl-eu', 'shipment.delivered', {}],
    ] as const) {
      expect((await post(partner, type, { orderId, ...data })).status).toBe(200);
      seen.push(order(orderId).status);
      // What the customer and integrators read: the latest event is the order's status.
      expect(order(orderId).events.at(-1)!.status).toBe(seen.at(-1));
    }
    expect(seen).toEqual([
      'in_production',
      'in_production',
      'in_production',
      'produced',
      'shipped',
      'shipped',
      'shipped',
      'delivered',
    ]);
    const rank = ['placed', 'in_production', 'produced', 'shipped', 'delivered'];
    const statuses = order(orderId).events.map((e) => rank.indexOf(e.status));
    expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
    const api = await t.call('GET', `/api/admin/orders/${orderId}`, { headers: ADMIN });
    const firstProduced = (api.body.order.events as { status: string; detail?: string }[]).find(
      (e) => e.status === 'produced',
    );
    expect(firstProduced?.detail).toMatch(/Atelier Chemise/);
  });

  it('dedupes by webhook-id: a repeat is 2xx with no second effect', async () => {
    const { orderId } = insertOrder(t.deps.sqlite);
    const data = { orderId, carrier: 'UPS', trackingNumber: '1Z' };
    const first = await post('3pl-eu', 'shipment.shipped', data, { id: 'evt_same' });
    const again = await post('3pl-eu', 'shipment.shipped', data, { id: 'evt_same' });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    expect(t.deps.sqlite.prepare('SELECT count(*) AS n FROM shipments').get()).toEqual({ n: 1 });
    expect(order(orderId).events.filter((e) => e.status === 'shipped')).toHaveLength(1);
    expect(t.deps.sqlite.prepare('SELECT count(*) AS n FROM inbound_events').get()).toEqual({ n: 1 });
  });

  it('never moves backwards: a late event is acknowledged and recorded, changing nothing', async () => {
    const { orderId } = insertOrder(t.deps.sqlite);
    await post('3pl-eu', 'shipment.delivered', { orderId });
    expect(order(orderId).status).toBe('delivered');
    const late = await post('workshop', 'production.accepted', { orderId });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ outcome: 'ignored', orderStatus: 'delivered' });
    const late2 = await post('3pl-eu', 'shipment.shipped', { orderId, carrier: 'DHL', trackingNumber: 'X' });
    expect(late2.body.outcome).toBe('ignored');
    expect(order(orderId).status).toBe('delivered');
    const rows = t.deps.sqlite
      .prepare('SELECT outcome FROM inbound_events WHERE order_id = ? ORDER BY id')
      .all(orderId);
    expect(rows).toEqual([{ outcome: 'applied' }, { outcome: 'ignored' }, { outcome: 'ignored' }]);
  });

  it('a rejection carries a readable reason and cancels the order with everyone else told', async () => {
    const { orderId } = insertOrder(t.deps.sqlite);
    const res = await post('shirtmaker', 'production.rejected', {
      orderId,
      reason: 'Fabric out of stock until March',
    });
    expect(res.body.orderStatus).toBe('rejected');
    const o = order(orderId);
    expect(o.status).toBe('rejected');
    expect(o.lines).toEqual(['cancelled', 'cancelled', 'rejected']);
    expect(o.events.at(-1)).toMatchObject({ status: 'rejected', source: 'partner:shirtmaker' });
    expect(o.events.at(-1)!.detail).toContain('Fabric out of stock until March');
    const cancels = t.deps.sqlite
      .prepare(
        "SELECT partner_id FROM webhook_messages WHERE order_id = ? AND event_type = 'order.cancelled' ORDER BY partner_id",
      )
      .all(orderId);
    expect(cancels).toEqual([{ partner_id: '3pl-eu' }, { partner_id: 'workshop' }]);
    // Later events cannot revive it.
    expect((await post('workshop', 'production.accepted', { orderId })).body.outcome).toBe('ignored');
  });

  it('clear 4xx for bad events: unknown type, wrong partner kind, missing tracking, foreign order, bad JSON', async () => {
    const { orderId, lines } = insertOrder(t.deps.sqlite);
    expectProblem(await post('workshop', 'production.started', { orderId }), 422);
    expectProblem(
      await post('workshop', 'shipment.shipped', { orderId, carrier: 'x', trackingNumber: 'y' }),
      422,
    );
    expectProblem(await post('3pl-eu', 'shipment.shipped', { orderId }), 422);
    expectProblem(
      await post('3pl-eu', 'shipment.shipped', {
        orderId,
        carrier: 'x',
        trackingNumber: 'y',
        trackingUrl: 'javascript:alert(1)',
      }),
      422,
    );
    expectProblem(await post('selvedge-mill', 'production.accepted', { orderId }), 404);
    expectProblem(await post('3pl-na', 'shipment.delivered', { orderId }), 404);
    expectProblem(await post('workshop', 'production.accepted', { orderId: 'ord_nope' }), 404);
    expectProblem(
      await post('workshop', 'production.accepted', { orderId, lineIds: [lines.shirtmaker![0]] }),
      422,
    );
    expectProblem(await post('workshop', 'production.accepted', {}, { body: '{"type":' }), 400);
    expectProblem(
      await post('workshop', 'production.accepted', {}, { body: '{"type":"production.accepted"}' }),
      422,
    );
    expect(order(orderId).status).toBe('placed');
  });

  it('an unknown partner id is 401 exactly like a bad signature, so nobody can probe which ids exist', async () => {
    const { orderId } = insertOrder(t.deps.sqlite);
    const data = { orderId };
    const body = JSON.stringify({ type: 'production.accepted', timestamp: new Date().toISOString(), data });
    const stale = Math.floor(Date.now() / 1000) - 301;
    // The same request to a partner that exists (signed with a secret that is not its own) and
    // to one that does not: status, headers that matter and body must not tell them apart.
    const variants: Array<[string, (partnerId: string) => ReturnType<typeof post>]> = [
      ['unsigned', (p) => t.call('POST', `/api/partners/${p}/events`, { raw: body })],
      [
        'signed with a key it does not have',
        (p) => post(p, 'production.accepted', data, { secret: secretOf('3pl-eu') }),
      ],
      ['stale', (p) => post(p, 'production.accepted', data, { secret: secretOf('3pl-eu'), ts: stale })],
      [
        'not a timestamp',
        (p) =>
          t.call('POST', `/api/partners/${p}/events`, {
            raw: body,
            headers: { 'webhook-id': 'evt_x', 'webhook-timestamp': 'soon', 'webhook-signature': 'v1,xx' },
          }),
      ],
    ];
    for (const [what, send] of variants) {
      const known = await send('workshop');
      const unknown = await send('nobody');
      expectProblem(unknown, 401);
      expect(unknown.body, what).toEqual(known.body);
      expect(unknown.headers.get('content-type'), what).toBe(known.headers.get('content-type'));
    }
    // Even a request signed with a real partner's secret learns nothing about the id.
    const borrowed = await post('nobody', 'production.accepted', data, { secret: secretOf('workshop') });
    expectProblem(borrowed, 401);
    expect(borrowed.body).toEqual(
      (await post('workshop', 'production.accepted', data, { secret: secretOf('3pl-eu') })).body,
    );
    expect(t.deps.sqlite.prepare('SELECT count(*) AS n FROM inbound_events').get()).toEqual({ n: 0 });
  });

  it('operators read what partners posted back, by partner and order', async () => {
    const { orderId } = insertOrder(t.deps.sqlite);
    await post('workshop', 'production.accepted', { orderId });
    await post('workshop', 'production.accepted', { orderId });
    const res = await t.call('GET', `/api/admin/inbound-events?orderId=${orderId}`, { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.body.map((e: { outcome: string }) => e.outcome)).toEqual(['ignored', 'applied']);
    expect(res.body[1]).toMatchObject({ partnerId: 'workshop', eventType: 'production.accepted', orderId });
    expect(
      (await t.call('GET', '/api/admin/inbound-events?partnerId=3pl-eu', { headers: ADMIN })).body,
    ).toEqual([]);
    expectProblem(await t.call('GET', '/api/admin/inbound-events'), 401);
  });

  it('the 300 s tolerance is in whole seconds, like the reference library: exactly 300 s off is accepted', async () => {
    // The server's clock 0.9 s into a second: a partner's "now" is the same whole second.
    const nowSec = 1_796_000_000;
    t.close();
    t = createTestApp({ WEBHOOK_ALLOW_PRIVATE: '0' }, () => new Date(nowSec * 1000 + 900));
    const { orderId } = insertOrder(t.deps.sqlite);
    for (const [skew, status] of [
      [-301, 401],
      [-300, 200],
      [300, 200],
      [301, 401],
    ] as const) {
      const res = await post('workshop', 'production.accepted', { orderId }, { ts: nowSec + skew });
      expect(res.status, `timestamp ${skew} s off`).toBe(status);
    }
  });

  it('a repeated webhook-id is 2xx with no second effect even when the body differs (or would be refused)', async () => {
    const { orderId } = insertOrder(t.deps.sqlite);
    const first = await post('workshop', 'production.accepted', { orderId }, { id: 'evt_same' });
    expect(first.body).toMatchObject({ outcome: 'applied', duplicate: false });
    for (const [type, data] of [
      ['production.rejected', { orderId, reason: 'changed our mind' }],
      ['production.started', { orderId }],
      ['shipment.shipped', { orderId }],
      ['production.accepted', { orderId: 'ord_someone_elses' }],
      ['production.accepted', {}],
    ] as const) {
      const again = await post('workshop', type, data, { id: 'evt_same' });
      expect(again.status, type).toBe(200);
      expect(again.body).toMatchObject({ received: true, duplicate: true, orderId });
    }
    expect(order(orderId).status).toBe('in_production');
    // Still signed: a repeated id with a wrong signature is 401, not a free pass.
    expectProblem(
      await post(
        'workshop',
        'production.accepted',
        { orderId },
        { id: 'evt_same', secret: secretOf('shirtmaker') },
      ),
      401,
    );
  });

  /** Posts `bytes` exactly as given, signed over those bytes (as a partner's HTTP client sends them). */
  async function postBytes(partnerId: string, bytes: Buffer) {
    const id = `evt_bytes_${++seq}`;
    const ts = Math.floor(Date.now() / 1000);
    const key = Buffer.from(secretOf(partnerId).slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key).update(`${id}.${ts}.`).update(bytes).digest('base64');
    const res = await t.app.request(`/api/partners/${partnerId}/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': `v1,${mac}`,
      },
      body: new Uint8Array(bytes),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  }

  it('the signature is checked over the bytes received: a body starting with a BOM verifies and applies', async () => {
    // Decoding the body before checking it dropped the BOM the partner had signed: a 401 for a
    // correctly signed event, which the partner's retries could never fix.
    const { orderId } = insertOrder(t.deps.sqlite);
    const json = JSON.stringify({ type: 'production.accepted', data: { orderId } });
    const res = await postBytes(
      'workshop',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'applied', orderStatus: 'in_production' });
    // The reference library agrees: it signs the same bytes (a string with U+FEFF) the same way.
    const withBom = `\uFEFF${JSON.stringify({ type: 'production.completed', data: { orderId } })}`;
    expect((await post('workshop', '', {}, { body: withBom })).status).toBe(200);
  });

  it('a correctly signed body that is not UTF-8 is a 400, not a 401 blaming the signature', async () => {
    const { orderId } = insertOrder(t.deps.sqlite);
    const latin1 = Buffer.from(
      JSON.stringify({ type: 'production.rejected', data: { orderId, reason: 'Zoë' } }),
      'latin1',
    );
    const p = expectProblem(await postBytes('workshop', latin1), 400);
    expect(p.code).toBe('malformed_json');
    expect(order(orderId).status).toBe('placed');
  });

  it('during rotation the partner may still sign with its old secret', async () => {
    const { orderId } = insertOrder(t.deps.sqlite);
    const old = secretOf('workshop');
    const rot = await t.call('POST', '/api/admin/partners/workshop/rotate-secret', { headers: ADMIN });
    expect((await post('workshop', 'production.accepted', { orderId }, { secret: old })).status).toBe(200);
    expect(
      (await post('workshop', 'production.completed', { orderId }, { secret: rot.body.secret })).status,
    ).toBe(200);
    // graceSeconds 0 revokes the old one at once.
    await t.call('POST', '/api/admin/partners/workshop/rotate-secret', {
      headers: ADMIN,
      body: { graceSeconds: 0 },
    });
    expectProblem(
      await post('workshop', 'production.completed', { orderId }, { secret: rot.body.secret }),
      401,
    );
  });
});
