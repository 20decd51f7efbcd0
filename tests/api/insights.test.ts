import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleConfiguration, validate } from '../../catalog/index';
import { seedDemo } from '../../server/seed/demo';
import { prng } from '../../server/seed/random';
import { createTestApp, JEANS, type Json, SHIP_TO, signUp, type TestApp } from './setup';

// Tiers, Pareto, grid and service numbers over a small order history with known answers, then
// the demo seeder's invariants on a small run.

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };
const NOW = Date.UTC(2026, 5, 30, 12);
const DAY = 86_400_000;
let t: TestApp;

function insertCustomer(id: string, name: string) {
  t.deps.sqlite
    .prepare("INSERT INTO customers (id, email, name, password_hash, created_at) VALUES (?, ?, ?, 'x', ?)")
    .run(id, `${id}@example.com`, name, NOW - 400 * DAY);
}

function insertOrder(id: string, customerId: string, total: number, at: number, status = 'delivered') {
  t.deps.sqlite
    .prepare(
      `INSERT INTO orders (id, customer_id, status, currency, total, ship_to, three_pl_id, three_pl_route, three_pl_reason,
        catalog_version, created_at, updated_at) VALUES (?, ?, ?, 'EUR', ?, '{}', '3pl-eu', 'europe', 'r', 'v', ?, ?)`,
    )
    .run(id, customerId, status, total, at, at);
  t.deps.sqlite
    .prepare(
      `INSERT INTO order_lines (id, order_id, position, product_id, product_version, selection, spec_code, options,
        quantity, unit_price, price_lines, supplier_id, route_id, route_reason, status)
       VALUES (?, ?, 0, 'jeans', 'v', ?, 'X', '[]', 1, ?, '[]', 'workshop', 'default-workshop', 'r', ?)`,
    )
    .run(`${id}-l`, id, JSON.stringify(JEANS), total, status);
}

function insertFeedback(
  id: string,
  customerId: string,
  orderId: string,
  verdict: 'right' | 'adjust',
  at: number,
) {
  t.deps.sqlite
    .prepare(
      `INSERT INTO fit_feedback (id, customer_id, order_id, line_id, product_id, answers, verdict, decision, created_at)
       VALUES (?, ?, ?, ?, 'jeans', ?, ?, 'none', ?)`,
    )
    .run(
      id,
      customerId,
      orderId,
      `${orderId}-l`,
      JSON.stringify({ waist: verdict === 'right' ? 'right' : 'too_tight' }),
      verdict,
      at,
    );
}

function insertComplaint(
  id: string,
  customerId: string,
  orderId: string,
  category: string,
  status: string,
  contacts: number,
  at: number,
) {
  t.deps.sqlite
    .prepare(
      `INSERT INTO complaints (id, customer_id, order_id, category, status, message, contacts, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'm', ?, ?, ?)`,
    )
    .run(id, customerId, orderId, category, status, contacts, at, at);
}

beforeAll(() => {
  t = createTestApp({}, () => new Date(NOW));
  // c1..c10 bring 100..1000 with one order each, c10 the most recent; c0 never ordered.
  insertCustomer('c0', 'Zero');
  for (let i = 1; i <= 10; i++) {
    insertCustomer(`c${i}`, `Customer ${i}`);
    insertOrder(`o${i}`, `c${i}`, i * 100, NOW - (11 - i) * DAY);
  }
  // Not revenue: a cancelled order, a rejected one, and a free remake.
  insertOrder('o1-cancelled', 'c1', 99_999, NOW - DAY, 'cancelled');
  insertOrder('o2-rejected', 'c2', 99_999, NOW - DAY, 'rejected');
  insertOrder('o5-remake', 'c5', 0, NOW - DAY, 'placed');
  t.deps.sqlite
    .prepare(
      `INSERT INTO remakes (id, customer_id, product_id, parent_order_id, parent_line_id, child_order_id, supplier_id, reason, created_at)
       VALUES ('rmk1', 'c5', 'jeans', 'o5', 'o5-l', 'o5-remake', 'workshop', 'fit', ?)`,
    )
    .run(NOW - DAY);
  insertFeedback('f1', 'c10', 'o10', 'right', NOW - 2 * DAY);
  insertFeedback('f2', 'c9', 'o9', 'adjust', NOW - 2 * DAY);
  // c10 needs a second "right" to be highly satisfied: give it on another order.
  insertOrder('o10b', 'c10', 0, NOW - 3 * DAY, 'cancelled');
  insertFeedback('f3', 'c10', 'o10b', 'right', NOW - DAY);
  insertComplaint('k1', 'c9', 'o9', 'late', 'open', 1, NOW - 2 * DAY);
  insertComplaint('k2', 'c3', 'o3', 'damaged', 'resolved', 1, NOW - DAY);
  insertComplaint('k3', 'c4', 'o4', 'late', 'resolved', 3, NOW - DAY);
  t.deps.sqlite
    .prepare(
      `INSERT INTO fit_adjustments (feedback_id, product_id, module, from_option, to_option, created_at)
       VALUES ('f2', 'jeans', 'size', 'w34-h42', 'w35-h43', ?), ('f2', 'jeans', 'inseam', 'l32', 'l33', ?)`,
    )
    .run(NOW - DAY, NOW - DAY);
});
afterAll(() => t.close());

describe('customer value over a known history', () => {
  it('computes classes, Pareto and the grid', async () => {
    const res = await t.call('GET', '/api/admin/insights/customers', { headers: ADMIN });
    expect(res.status).toBe(200);
    const o = res.body;
    expect(o).toMatchObject({ customers: 11, activeCustomers: 10, revenue: 5500, currency: 'EUR' });
    // Cumulative revenue before each (most first): A while under 50%, B under 80%, C under 95%.
    expect(o.classes.map((c: Json) => [c.valueClass, c.customers, c.revenue])).toEqual([
      ['A', 4, 3400],
      ['B', 2, 1100],
      ['C', 3, 900],
      ['D', 2, 100],
    ]);
    // 11 customers: the top 20% is 3 of them (1000 + 900 + 800).
    expect(o.pareto).toMatchObject({ topCustomers: 3, topRevenue: 2700 });
    expect(o.pareto.topShare).toBeCloseTo(2700 / 5500, 10);
    expect(o.pareto.curve).toHaveLength(101);
    const cell = (v: string, s: string) => o.grid.find((g: Json) => g.volume === v && g.satisfaction === s);
    expect(o.grid).toHaveLength(9);
    // c10: two "right" → high; c9: an adjust and an open complaint → low; c5: a remake → low.
    expect(cell('high', 'high').preview.map((c: Json) => c.id)).toEqual(['c10']);
    expect(cell('high', 'low').preview.map((c: Json) => c.id)).toEqual(['c9']);
    expect(cell('high', 'medium').preview.map((c: Json) => c.id)).toEqual(['c8', 'c7']);
    expect(cell('medium', 'low').preview.map((c: Json) => c.id)).toEqual(['c5']);
    expect(cell('high', 'low').strategy).toBe('personal care');
    expect(cell('medium', 'low').strategy).toBe('correct');
    expect(o.grid.reduce((s: number, g: Json) => s + g.customers, 0)).toBe(11);
  });

  it('lists, filters, sorts and exports customers; shows one customer', async () => {
    const list = await t.call('GET', '/api/admin/customers?valueClass=A&sort=revenue&order=asc', {
      headers: ADMIN,
    });
    expect(list.body.items.map((c: Json) => c.id)).toEqual(['c7', 'c8', 'c9', 'c10']);
    expect(list.body.items[3]).toMatchObject({ rfm: '515', orders: 1, revenue: 1000, recencyDays: 1 }); // every F ties at one order: 1;
    const low = await t.call('GET', '/api/admin/customers?satisfaction=low', { headers: ADMIN });
    // c3 and c4 had a complaint settled: medium, not low.
    expect(low.body.items.map((c: Json) => c.id).sort()).toEqual(['c5', 'c9']);
    const bad = await t.call('GET', '/api/admin/customers?valueClass=E', { headers: ADMIN });
    expect(bad.status).toBe(422);

    const csv = await t.app.request('/api/admin/customers?format=csv&sort=name', { headers: ADMIN });
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows).toHaveLength(12);
    expect(rows[0]).toMatch(/^id,name,email,value_class,rfm/);

    const page = await t.call('GET', '/api/admin/customers/c9', { headers: ADMIN });
    expect(page.body.customer).toMatchObject({ valueClass: 'A', satisfaction: 'low' });
    expect(page.body.gridCell.treatment).toMatch(/Personal care/);
    expect(page.body.feedback.map((f: Json) => f.id)).toEqual(['f2']);
    expect(page.body.complaints.map((c: Json) => c.id)).toEqual(['k1']);
    expect(page.body.orders.items.map((x: Json) => x.id)).toEqual(['o9']);
    expect((await t.call('GET', '/api/admin/customers/nobody', { headers: ADMIN })).status).toBe(404);
  });
});

describe('service and partners', () => {
  it('counts feedback and complaints per day and category, first-contact resolution, adjusted modules', async () => {
    const res = await t.call('GET', '/api/admin/insights/service?days=7', { headers: ADMIN });
    const s = res.body;
    expect(s.days).toHaveLength(8);
    const yesterday = s.days.find((d: Json) => d.day === new Date(NOW - DAY).toISOString().slice(0, 10));
    expect(yesterday).toMatchObject({
      feedbackRight: 1,
      feedbackAdjust: 0,
      complaints: { damaged: 1, late: 1 },
    });
    expect(s.feedback).toEqual({ total: 3, right: 2, adjust: 1 });
    expect(s.complaints).toMatchObject({ total: 3, open: 1, resolved: 2, resolvedFirstContact: 1 });
    expect(s.complaints.firstContactResolutionRate).toBe(0.5);
    expect(s.modulesAdjusted.map((m: Json) => [m.module, m.count])).toEqual([
      ['inseam', 1],
      ['size', 1],
    ]);
    expect(s.categories).toEqual(['damaged', 'late']);
    const csv = await t.app.request('/api/admin/insights/service?days=7&format=csv', { headers: ADMIN });
    expect((await csv.text()).split('\r\n')[0]).toBe(
      'day,feedback_right,feedback_adjust,complaints_damaged,complaints_late',
    );
    expect((await t.call('GET', '/api/admin/insights/service?days=0', { headers: ADMIN })).status).toBe(422);
    expect((await t.call('GET', '/api/admin/insights/service')).status).toBe(401);
  });

  it('rates suppliers', async () => {
    const res = await t.call('GET', '/api/admin/insights/partners?days=30', { headers: ADMIN });
    const workshop = res.body.partners.find((p: Json) => p.id === 'workshop');
    // 15 lines in the window: 10 delivered, o10b cancelled, o1 cancelled, o2 rejected, the remake.
    expect(workshop.quality).toMatchObject({ lines: 14, rejected: 1, remakes: 1, remakesFit: 1 });
    expect(res.body.partners.find((p: Json) => p.id === '3pl-eu').delivery.last24h.attempts).toBe(0);
  });

  it('charges a rejection to the supplier that rejected, not to every supplier in the order', async () => {
    // As the inbound route leaves it (tests/webhooks/routes.test.ts): shirtmaker rejects, so its
    // line is rejected and workshop's line in the same order is cancelled, never started.
    insertCustomer('c-mixed', 'Mixed');
    insertOrder('o-mixed', 'c-mixed', 20_000, NOW - DAY, 'rejected');
    t.deps.sqlite.prepare("UPDATE order_lines SET status = 'cancelled' WHERE id = 'o-mixed-l'").run();
    t.deps.sqlite
      .prepare(
        `INSERT INTO order_lines (id, order_id, position, product_id, product_version, selection, spec_code, options,
          quantity, unit_price, price_lines, supplier_id, route_id, route_reason, status)
         VALUES ('o-mixed-l2', 'o-mixed', 1, 'shirt', 'v', '{}', 'X', '[]', 1, 10000, '[]', 'shirtmaker', 'r', 'r', 'rejected')`,
      )
      .run();
    try {
      const res = await t.call('GET', '/api/admin/insights/partners?days=30', { headers: ADMIN });
      const quality = (id: string) => res.body.partners.find((p: Json) => p.id === id).quality;
      // workshop: one more line, still only o2's rejection (it said 2 of 15).
      expect(quality('workshop')).toMatchObject({ lines: 15, rejected: 1 });
      expect(quality('shirtmaker')).toMatchObject({ lines: 1, rejected: 1, rejectionRate: 1 });
    } finally {
      t.deps.sqlite.prepare("DELETE FROM order_lines WHERE order_id = 'o-mixed'").run();
      t.deps.sqlite.prepare("DELETE FROM orders WHERE id = 'o-mixed'").run();
      t.deps.sqlite.prepare("DELETE FROM customers WHERE id = 'c-mixed'").run();
    }
  });

  it('says why a partner is disabled (a 410 disables it; the console showed only "no")', async () => {
    t.deps.sqlite
      .prepare("UPDATE partners SET enabled = 0, disabled_reason = 'answered 410 Gone' WHERE id = '3pl-na'")
      .run();
    try {
      const res = await t.call('GET', '/api/admin/insights/partners?days=30', { headers: ADMIN });
      const byId = (id: string) => res.body.partners.find((p: Json) => p.id === id);
      expect(byId('3pl-na')).toMatchObject({ enabled: false, disabledReason: 'answered 410 Gone' });
      expect(byId('3pl-eu')).toMatchObject({ enabled: true, disabledReason: null });
    } finally {
      t.deps.sqlite
        .prepare("UPDATE partners SET enabled = 1, disabled_reason = NULL WHERE id = '3pl-na'")
        .run();
    }
  });
});

describe("supplier's days to produced", () => {
  it("counts each supplier's own completion of its lines, not the time the whole order was produced", async () => {
    let clock = NOW - 20 * DAY;
    const p = createTestApp({}, () => new Date(clock));
    try {
      const shirt = sampleConfiguration(p.deps.catalog.products.get('shirt')!, prng(3))!;
      delete shirt.monogram;
      const who = await signUp(p);
      let seq = 0;
      const place = async (lines: Json[]) => {
        const res = await p.call('POST', '/api/orders', {
          cookie: who.cookie,
          headers: { 'idempotency-key': `days-${++seq}` },
          body: { lines, shipTo: SHIP_TO },
        });
        expect(res.status).toBe(201);
        return res.body;
      };
      // Partners post back through the real signed endpoint, as the inbound route records it.
      const partnerEvent = async (partnerId: string, type: string, data: Json) => {
        const { secret } = p.deps.sqlite
          .prepare('SELECT secret FROM partners WHERE id = ?')
          .get(partnerId) as Json;
        const id = `evt_${++seq}`;
        const now = new Date(clock);
        const body = JSON.stringify({ type, timestamp: now.toISOString(), data });
        const res = await p.call('POST', `/api/partners/${partnerId}/events`, {
          raw: body,
          headers: {
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(clock / 1000)),
            'webhook-signature': new Webhook(secret).sign(id, now, body),
          },
        });
        expect(res.status).toBe(200);
      };
      const start = clock;
      // A mixed order: the workshop makes the jeans in 2 days, the shirtmaker the shirt in 8.
      const mixed = await place([
        { productId: 'jeans', selection: JEANS, quantity: 1 },
        { productId: 'shirt', selection: shirt, quantity: 1 },
      ]);
      expect(mixed.lines.map((l: Json) => l.supplierId)).toEqual(['workshop', 'shirtmaker']);
      // Two workshop lines finished on different days (lineIds), in another order.
      const pair = await place([
        { productId: 'jeans', selection: JEANS, quantity: 1 },
        { productId: 'jeans', selection: { ...JEANS, monogram: 'AB' }, quantity: 1 },
      ]);
      clock = start + DAY;
      await partnerEvent('workshop', 'production.accepted', { orderId: mixed.id });
      await partnerEvent('shirtmaker', 'production.accepted', { orderId: mixed.id });
      await partnerEvent('workshop', 'production.accepted', { orderId: pair.id });
      clock = start + 2 * DAY;
      await partnerEvent('workshop', 'production.completed', { orderId: mixed.id });
      clock = start + 3 * DAY;
      await partnerEvent('workshop', 'production.completed', {
        orderId: pair.id,
        lineIds: [pair.lines[0].id],
      });
      // A repeat of the same completion (new webhook-id) changes nothing and is not counted again.
      clock = start + 4 * DAY;
      await partnerEvent('workshop', 'production.completed', {
        orderId: pair.id,
        lineIds: [pair.lines[0].id],
      });
      clock = start + 5 * DAY;
      await partnerEvent('workshop', 'production.completed', {
        orderId: pair.id,
        lineIds: [pair.lines[1].id],
      });
      clock = start + 8 * DAY;
      await partnerEvent('shirtmaker', 'production.completed', { orderId: mixed.id });
      clock = start + 10 * DAY;

      const res = await p.call('GET', '/api/admin/insights/partners?days=30', { headers: ADMIN });
      expect(res.status).toBe(200);
      const quality = (id: string) => res.body.partners.find((x: Json) => x.id === id).quality;
      // workshop: 2 (mixed), 3 and 5 (pair) days; it was charged the shirtmaker's 8 before.
      expect(quality('workshop')).toMatchObject({
        lines: 3,
        produced: 3,
        daysToProducedP50: 3,
        daysToProducedP90: 5,
      });
      expect(quality('shirtmaker')).toMatchObject({
        lines: 1,
        produced: 1,
        daysToProducedP50: 8,
        daysToProducedP90: 8,
      });
    } finally {
      p.close();
    }
  });
});

describe('the demo seeder', () => {
  it('counts contacts as the live system does: one per customer message, resolution as the last answer', () => {
    const d = createTestApp();
    try {
      const r = seedDemo(d.deps.sqlite, d.deps.catalog, {
        // A seed whose history has conversations that `now` cuts short.
        customers: 200,
        orders: 2500,
        seed: 1,
        now: NOW,
        years: 1,
        passwordHash: 'x',
        remakeLimit: 2,
      });
      expect(r.complaints).toBeGreaterThan(100);
      const db = d.deps.sqlite;
      // openComplaint writes 1 contact with the first message, each customerFollowUp one more
      // with its message; resolveComplaint writes the resolution as an operator message at resolvedAt.
      const rows = db
        .prepare(
          `SELECT c.id, c.status, c.contacts, c.message, c.resolution, c.resolved_at, c.created_at, c.updated_at,
                  (SELECT count(*) FROM complaint_messages m WHERE m.complaint_id = c.id AND m.author = 'customer') AS asked,
                  (SELECT json_group_array(json_array(m.author, m.body, m.at)) FROM
                     (SELECT * FROM complaint_messages m WHERE m.complaint_id = c.id ORDER BY m.at, m.id) m) AS messages
             FROM complaints c`,
        )
        .all() as Json[];
      const wrong = rows.filter((c) => {
        const messages = JSON.parse(c.messages) as [string, string, number][];
        const first = messages[0];
        const last = messages.at(-1);
        return (
          c.contacts !== c.asked ||
          !first ||
          first[0] !== 'customer' ||
          first[1] !== c.message ||
          first[2] !== c.created_at ||
          last![2] !== c.updated_at ||
          messages.some((m) => m[2] > NOW) ||
          (c.status === 'resolved'
            ? last![0] !== 'operator' || last![1] !== c.resolution || last![2] !== c.resolved_at
            : c.resolution !== null || c.resolved_at !== null)
        );
      });
      expect(wrong.map((c) => ({ ...c, messages: JSON.parse(c.messages) }))).toEqual([]);
      // The service chart's first-contact resolution reads the same count.
      const once = rows.filter((c) => c.status === 'resolved' && c.contacts === 1).length;
      expect(once).toBeGreaterThan(0);
    } finally {
      d.close();
    }
  });

  it('writes a consistent history: valid configurations, paid remakes never, the remake limit kept', () => {
    const d = createTestApp();
    try {
      const r = seedDemo(d.deps.sqlite, d.deps.catalog, {
        customers: 80,
        orders: 900,
        seed: 7,
        now: NOW,
        years: 2,
        passwordHash: 'x',
        remakeLimit: 2,
      });
      expect(r.customers).toBe(80);
      expect(r.orders - r.remakeOrders).toBe(900);
      const db = d.deps.sqlite;
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
      const lines = db.prepare('SELECT product_id, selection FROM order_lines').all() as Json[];
      for (const l of lines) {
        const v = validate(d.deps.catalog.products.get(l.product_id)!, JSON.parse(l.selection));
        expect(v.valid && v.complete).toBe(true);
      }
      // A rejection is charged to the supplier that sent it: its lines rejected, the others' cancelled.
      const rejecters = db
        .prepare(
          `SELECT o.id, count(DISTINCT l.supplier_id) n FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.status = 'rejected' AND l.status = 'rejected' GROUP BY o.id`,
        )
        .all() as Json[];
      expect(rejecters.length).toBeGreaterThan(0);
      expect(rejecters.filter((r) => r.n !== 1)).toEqual([]);
      // Each supplier finishes its own lines, recorded as the inbound route does: an applied
      // production.completed and the timeline event with the lines it moved.
      const unfinished = db
        .prepare(
          `WITH mine AS (
             SELECT o.id, l.supplier_id, json_group_array(l.id) AS lines FROM orders o
               JOIN order_lines l ON l.order_id = o.id
              WHERE o.status IN ('produced', 'shipped', 'delivered')
              GROUP BY o.id, l.supplier_id)
           SELECT * FROM mine m WHERE NOT EXISTS (
             SELECT 1 FROM inbound_events ie JOIN order_events e
                 ON e.order_id = ie.order_id AND e.at = ie.received_at AND e.source = 'partner:' || ie.partner_id
              WHERE ie.order_id = m.id AND ie.partner_id = m.supplier_id AND ie.outcome = 'applied'
                AND ie.event_type = 'production.completed' AND e.line_ids = m.lines)`,
        )
        .all();
      expect(unfinished).toEqual([]);
      const overLimit = db
        .prepare('SELECT customer_id, product_id, count(*) n FROM remakes GROUP BY 1, 2 HAVING n > 2')
        .all();
      expect(overLimit).toEqual([]);
      const paidRemakes = db
        .prepare(
          'SELECT count(*) n FROM orders o JOIN remakes r ON r.child_order_id = o.id WHERE o.total > 0',
        )
        .get() as Json;
      expect(paidRemakes.n).toBe(0);
      // Proposals in the shape the live system writes and reads ({ before, after, changes, … }):
      // the seed wrote { before, selection, … }, so accepting a seeded proposal or remaking a line
      // with an accepted one read `after` of undefined.
      const proposals = db
        .prepare('SELECT proposal FROM fit_feedback WHERE proposal IS NOT NULL')
        .all() as Json[];
      expect(proposals.length).toBeGreaterThan(0);
      for (const p of proposals) {
        const parsed = JSON.parse(p.proposal);
        expect(parsed).toMatchObject({
          before: { selection: expect.any(Object), specCode: expect.any(String) },
          after: {
            selection: expect.any(Object),
            specCode: expect.any(String),
            unitPrice: expect.any(Number),
          },
          changes: expect.any(Array),
        });
      }
      const revenue = db
        .prepare(
          "SELECT sum(total) s FROM orders WHERE status NOT IN ('cancelled','rejected') AND id NOT IN (SELECT child_order_id FROM remakes)",
        )
        .get() as Json;
      expect(revenue.s).toBeGreaterThan(0);
      // Same seed, same history.
      const e = createTestApp();
      try {
        seedDemo(e.deps.sqlite, e.deps.catalog, {
          customers: 80,
          orders: 900,
          seed: 7,
          now: NOW,
          years: 2,
          passwordHash: 'x',
          remakeLimit: 2,
        });
        const ids = (x: TestApp) => x.deps.sqlite.prepare('SELECT id FROM orders ORDER BY id LIMIT 5').all();
        expect(ids(e)).toEqual(ids(d));
      } finally {
        e.close();
      }
    } finally {
      d.close();
    }
  });
});
