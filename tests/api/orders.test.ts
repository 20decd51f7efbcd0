import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  editedCatalog,
  expectProblem,
  JEANS,
  type Json,
  retireOption,
  SHIP_TO,
  signUp,
} from './setup';

const t = createTestApp();
const originalCatalog = t.deps.catalog;
afterAll(() => t.close());

let keySeq = 0;
const key = () => `key-${++keySeq}-${Math.random().toString(36).slice(2)}`;
const order = (overrides: Json = {}) => ({
  lines: [
    { productId: 'jeans', selection: JEANS, quantity: 2 },
    { productId: 'jeans', selection: { ...JEANS, fabric: 'selvedge-14' }, quantity: 1 },
  ],
  shipTo: SHIP_TO,
  ...overrides,
});
/** Saves a spec for the signed-in customer (jeans by default) and returns it as the API answers. */
const saveSpec = async (cookie: string, body: Json = {}) =>
  (
    await t.call('POST', '/api/specs', {
      cookie,
      body: { name: 'Mine', productId: 'jeans', selection: JEANS, ...body },
    })
  ).body;
const place = (cookie: string, body: Json, k: string | null = key()) =>
  t.call('POST', '/api/orders', { cookie, body, headers: k === null ? {} : { 'idempotency-key': k } });

const count = (table: string) =>
  (t.deps.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('POST /api/orders', () => {
  it('places an order: server prices, routes each line, writes lines, first event and outbox rows', async () => {
    const { cookie } = await signUp(t);
    const res = await place(
      cookie,
      order({ lines: [...order().lines.map((l: Json) => ({ ...l, unitPrice: 1 }))], total: 1 }),
    );
    expect(res.status).toBe(201);
    const o = res.body;
    expect(o).toMatchObject({
      id: expect.stringMatching(/^ord_/),
      status: 'placed',
      currency: 'USD',
      shipTo: SHIP_TO,
      threePlId: '3pl-eu',
      events: [expect.objectContaining({ status: 'placed', at: expect.any(String) })],
      shipments: [],
    });
    expect(o.lines).toHaveLength(2);
    const [a, b] = o.lines;
    expect(a).toMatchObject({
      productId: 'jeans',
      selection: JEANS,
      quantity: 2,
      supplierId: 'workshop',
      specCode: expect.any(String),
    });
    expect(b.supplierId).toBe('selvedge-mill');
    const quote = await t.call('POST', '/api/quote', { body: { productId: 'jeans', selection: JEANS } });
    expect(a.unitPrice).toBe(quote.body.price.total);
    expect(o.total).toBe(a.unitPrice * 2 + b.unitPrice);

    const messages = t.deps.sqlite
      .prepare(
        'SELECT partner_id, event_type, payload, status FROM webhook_messages JOIN webhook_payloads ON webhook_payloads.message_id = webhook_messages.id WHERE order_id = ? ORDER BY partner_id',
      )
      .all(o.id) as Json[];
    expect(messages.map((m) => [m.partner_id, m.event_type, m.status])).toEqual([
      ['3pl-eu', 'fulfillment.requested', 'pending'],
      ['selvedge-mill', 'production.requested', 'pending'],
      ['workshop', 'production.requested', 'pending'],
    ]);
    const workshop = JSON.parse(messages[2].payload);
    expect(workshop).toMatchObject({ type: 'production.requested', timestamp: expect.any(String) });
    expect(workshop.data).toMatchObject({ orderId: o.id, threePlId: '3pl-eu' });
    expect(workshop.data.lines).toEqual([
      expect.objectContaining({ lineId: a.id, productId: 'jeans', specCode: a.specCode, quantity: 2 }),
    ]);
    expect(workshop.data.lines[0].options).toContainEqual({
      moduleId: 'fabric',
      optionId: 'classic-12',
      label: expect.any(String),
    });
    const ful = JSON.parse(messages[0].payload);
    expect(ful.data).toMatchObject({ orderId: o.id, shipTo: SHIP_TO });
    expect(ful.data.lines.map((l: Json) => [l.lineId, l.supplierId])).toEqual([
      [a.id, 'workshop'],
      [b.id, 'selvedge-mill'],
    ]);
  });

  it('orders a saved spec by specId, with its measurements going to the supplier', async () => {
    const { cookie } = await signUp(t);
    const spec = await saveSpec(cookie, { measurements: { unit: 'cm', values: { waist: 84 } } });
    const res = await place(cookie, {
      lines: [{ specId: spec.id, quantity: 1 }],
      shipTo: { ...SHIP_TO, country: 'us' },
    });
    expect(res.status).toBe(201);
    expect(res.body.lines[0]).toMatchObject({ specId: spec.id, selection: JEANS, specCode: spec.specCode });
    expect(res.body.threePlId).toBe('3pl-na');
    const msg = t.deps.sqlite
      .prepare(
        "SELECT payload FROM webhook_messages JOIN webhook_payloads ON webhook_payloads.message_id = webhook_messages.id WHERE order_id = ? AND event_type = 'production.requested'",
      )
      .get(res.body.id) as Json;
    expect(JSON.parse(msg.payload).data.lines[0].measurements).toEqual({ unit: 'cm', values: { waist: 84 } });
  });

  it('422 for a line naming both a saved spec and a product; nothing is written, the key stays usable', async () => {
    const { cookie } = await signUp(t);
    const spec = await saveSpec(cookie, { measurements: { unit: 'cm', values: { waist: 84 } } });
    const before = count('orders');
    const k = key();
    const res = await place(
      cookie,
      order({
        lines: [
          { productId: 'jeans', selection: JEANS, quantity: 1 },
          { specId: spec.id, productId: 'jeans', selection: JEANS, quantity: 1 },
        ],
      }),
      k,
    );
    const p = expectProblem(res, 422);
    expect(p.errors).toEqual([expect.objectContaining({ path: 'lines.1', code: 'ambiguous_line' })]);
    expect(count('orders')).toBe(before);
    expect((await place(cookie, order({ lines: [{ specId: spec.id, quantity: 1 }] }), k)).status).toBe(201);
  });

  it('leaves optional ship-to members sent as null or blank out of the order and the 3PL webhook', async () => {
    const { cookie } = await signUp(t);
    const res = await place(cookie, order({ shipTo: { ...SHIP_TO, line2: null, region: '  ' } }));
    expect(res.status).toBe(201);
    expect(res.body.shipTo).toEqual(SHIP_TO);
    const msg = t.deps.sqlite
      .prepare(
        "SELECT payload FROM webhook_messages JOIN webhook_payloads ON webhook_payloads.message_id = webhook_messages.id WHERE order_id = ? AND event_type = 'fulfillment.requested'",
      )
      .get(res.body.id) as Json;
    expect(JSON.parse(msg.payload).data.shipTo).toEqual(SHIP_TO);
    const again = await t.call('GET', `/api/orders/${res.body.id}`, { cookie });
    expect(Object.keys(again.body.shipTo)).not.toContain('line2');
  });

  it('401 without a session, 400 without an Idempotency-Key', async () => {
    expectProblem(
      await t.call('POST', '/api/orders', { body: order(), headers: { 'idempotency-key': key() } }),
      401,
    );
    const { cookie } = await signUp(t);
    expectProblem(await place(cookie, order(), null), 400);
    expectProblem(await place(cookie, order(), ''), 400);
    expectProblem(await place(cookie, order(), 'x'.repeat(256)), 400);
  });

  it('422s bad lines naming each field, and writes nothing', async () => {
    const { cookie } = await signUp(t);
    const before = count('orders');
    const p = expectProblem(
      await place(
        cookie,
        order({
          lines: [
            { productId: 'jeans', selection: { ...JEANS, size: 'w99' }, quantity: 1 },
            { productId: 'kilt', selection: {}, quantity: 1 },
            { productId: 'jeans', selection: { ...JEANS, monogram: 'lower' }, quantity: 1 },
          ],
        }),
      ),
      422,
    );
    expect(p.errors?.map((e) => e.path)).toEqual([
      'lines.0.selection.size',
      'lines.1.productId',
      'lines.2.selection.monogram',
    ]);
    for (const quantity of [0, -1, 1.5, 1e9, '2'])
      expectProblem(
        await place(cookie, order({ lines: [{ productId: 'jeans', selection: JEANS, quantity }] })),
        422,
      );
    const noCountry = expectProblem(
      await place(cookie, order({ shipTo: { ...SHIP_TO, country: 'Britain' } })),
      422,
    );
    expect(noCountry.errors?.[0].path).toBe('shipTo.country');
    // Two letters are not enough: a 3PL cannot ship to a code ISO 3166-1 never assigned.
    for (const country of ['UK', 'ZZ', 'XX', 'EU'])
      expect(
        expectProblem(await place(cookie, order({ shipTo: { ...SHIP_TO, country } })), 422).errors?.[0].path,
        country,
      ).toBe('shipTo.country');
    expectProblem(await place(cookie, order({ lines: [] })), 422);
    expect(count('orders')).toBe(before);
  });

  it('404s an order line naming another customer’s spec', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const spec = await saveSpec(a.cookie, { name: 'A' });
    const p = expectProblem(
      await place(b.cookie, { lines: [{ specId: spec.id, quantity: 1 }], shipTo: SHIP_TO }),
      404,
    );
    expect(p.errors?.[0].path).toBe('lines.0.specId');
  });
});

describe('Idempotency-Key', () => {
  it('replays the stored response for the same key and body (no second order)', async () => {
    const { cookie } = await signUp(t);
    const k = key();
    const first = await place(cookie, order(), k);
    const before = count('orders');
    // Same JSON with members in another order is the same request.
    const { shipTo, lines } = order();
    const again = await place(cookie, { shipTo, lines }, k);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(count('orders')).toBe(before);
  });

  it('replays exactly the first response even after the order moved on (rebuilt from its snapshot)', async () => {
    const { cookie } = await signUp(t);
    const k = key();
    const first = await place(cookie, order(), k);
    expect(first.status).toBe(201);
    const cancelled = await t.call('POST', `/api/orders/${first.body.id}/cancel`, { cookie });
    expect(cancelled.body.status).toBe('cancelled');
    const again = await place(cookie, order(), k);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // Same members in the same order, not only equal JSON.
    expect(JSON.stringify(again.body)).toBe(JSON.stringify(first.body));
    expect(again.body.status).toBe('placed');
  });

  it('replays byte for byte an order with a saved spec, measurements, a monogram and unicode', async () => {
    // The first answer is built from the values placeOrder holds; the replay from the stored rows.
    const { cookie } = await signUp(t);
    const spec = await saveSpec(cookie, {
      name: 'Été',
      measurements: { unit: 'cm', values: { waist: 84.5, hip: 101 } },
    });
    // Modules given out of the product's order: the answer lists them in the product's order.
    const reversed = Object.fromEntries(Object.entries({ ...JEANS, monogram: 'ÅB' }).reverse());
    const body = {
      lines: [
        { specId: spec.id, quantity: 1 },
        { productId: 'jeans', selection: { ...reversed, monogram: 'JDS' }, quantity: 3 },
      ],
      shipTo: { ...SHIP_TO, name: 'Zoë Ørsted 山田', line2: 'Flat 2', region: 'Île-de-France' },
    };
    const k = key();
    const raw = async () => {
      const r = await t.app.request('/api/orders', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'idempotency-key': k },
        body: JSON.stringify(body),
      });
      return { status: r.status, replayed: r.headers.get('idempotent-replayed'), text: await r.text() };
    };
    const first = await raw();
    expect(first.status).toBe(201);
    const placed = JSON.parse(first.text);
    expect(Object.keys(placed.lines[1].selection)).toEqual(Object.keys({ ...JEANS, monogram: 'JDS' }));
    expect(placed.lines[0].measurements).toEqual({ unit: 'cm', values: { waist: 84.5, hip: 101 } });
    const again = await raw();
    expect(again).toEqual({ status: 201, replayed: 'true', text: first.text });
  });

  it('replays the first response after the order was produced, shipped and delivered and the catalog changed', async () => {
    const { cookie } = await signUp(t);
    const k = key();
    const first = await place(cookie, order(), k);
    expect(first.status).toBe(201);
    const orderId = first.body.id as string;
    // The partners move it on, through the real signed endpoint.
    const partnerEvent = async (partnerId: string, type: string, data: Json) => {
      const { secret } = t.deps.sqlite.prepare('SELECT secret FROM partners WHERE id = ?').get(partnerId) as {
        secret: string;
      };
      const id = `evt_${key()}`;
      const now = new Date();
      const body = JSON.stringify({ type, timestamp: now.toISOString(), data: { orderId, ...data } });
      const res = await t.call('POST', `/api/partners/${partnerId}/events`, {
        raw: body,
        headers: {
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': new Webhook(secret).sign(id, now, body),
        },
      });
      expect(res.status).toBe(200);
    };
    for (const supplier of new Set<string>(first.body.lines.map((l: Json) => l.supplierId))) {
      await partnerEvent(supplier, 'production.accepted', {});
      await partnerEvent(supplier, 'production.completed', {});
    }
    await partnerEvent(first.body.threePlId, 'shipment.shipped', { carrier: 'DHL', trackingNumber: 'JD1' });
    await partnerEvent(first.body.threePlId, 'shipment.delivered', {});
    const now = (await t.call('GET', `/api/orders/${orderId}`, { cookie })).body;
    expect(now.status).toBe('delivered');
    expect(now.shipments).toHaveLength(1);

    t.deps.catalog = editedCatalog(({ products }) => {
      products['jeans.json'].basePrice += 1000;
    });
    try {
      const again = await place(cookie, order(), k);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(JSON.stringify(again.body)).toBe(JSON.stringify(first.body));
    } finally {
      t.deps.catalog = originalCatalog;
    }
  });

  it('still replays a response stored in full by a version before migration 0004', async () => {
    const { cookie } = await signUp(t);
    const k = key();
    const first = await place(cookie, order(), k);
    const legacy = JSON.stringify({ ...first.body, stored: 'in full' });
    t.deps.sqlite.prepare('UPDATE idempotency_keys SET response_body = ? WHERE key = ?').run(legacy, k);
    const again = await place(cookie, order(), k);
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ ...first.body, stored: 'in full' });
  });

  it('422s the same key with a different body', async () => {
    const { cookie } = await signUp(t);
    const k = key();
    await place(cookie, order(), k);
    expectProblem(await place(cookie, order({ shipTo: { ...SHIP_TO, city: 'Leeds' } }), k), 422);
  });

  it('keys are per customer: the same key from another customer is a new order', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const k = key();
    const oa = await place(a.cookie, order(), k);
    const ob = await place(b.cookie, order(), k);
    expect(ob.status).toBe(201);
    expect(ob.body.id).not.toBe(oa.body.id);
  });

  it('two concurrent requests with one key: one order; the other is 409 in flight or the replay', async () => {
    const { cookie } = await signUp(t);
    const k = key();
    const before = count('orders');
    const [r1, r2] = await Promise.all([place(cookie, order(), k), place(cookie, order(), k)]);
    const statuses = [r1.status, r2.status].sort();
    expect(statuses[0]).toBe(201);
    expect([201, 409]).toContain(statuses[1]);
    if (statuses[1] === 201) expect(r1.body.id).toBe(r2.body.id);
    else expectProblem(r1.status === 409 ? r1 : r2, 409);
    expect(count('orders')).toBe(before + 1);
    const after = await place(cookie, order(), k);
    expect(after.body.id).toBe((r1.status === 201 ? r1 : r2).body.id);
  });

  it('a request that failed validation does not burn its key', async () => {
    const { cookie } = await signUp(t);
    const k = key();
    expectProblem(await place(cookie, order({ lines: [] }), k), 422);
    expect((await place(cookie, order(), k)).status).toBe(201);
  });
});

describe('reading, isolation and cancelling', () => {
  it('each line keeps the product name it was ordered under when the catalog renames the product', async () => {
    const { cookie } = await signUp(t);
    const placed = await place(cookie, order());
    expect(placed.status).toBe(201);
    const name = originalCatalog.products.get('jeans')!.product.name;
    expect(placed.body.lines.map((l: Json) => l.productName)).toEqual([name, name]);
    t.deps.catalog = editedCatalog(({ products }) => {
      products['jeans.json'].name = 'Jeans, renamed';
    });
    try {
      const read = await t.call('GET', `/api/orders/${placed.body.id}`, { cookie });
      expect(read.body.lines.map((l: Json) => l.productName)).toEqual([name, name]);
      const list = await t.call('GET', '/api/orders', { cookie });
      const mine = list.body.find((o: Json) => o.id === placed.body.id);
      expect(mine.lines[0].productName).toBe(name);
    } finally {
      t.deps.catalog = originalCatalog;
    }
  });

  it('lists and reads own orders; another customer’s order is 404 everywhere', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const o = (await place(a.cookie, order())).body;
    const list = await t.call('GET', '/api/orders', { cookie: a.cookie });
    expect(list.body.map((x: Json) => x.id)).toEqual([o.id]);
    const one = await t.call('GET', `/api/orders/${o.id}`, { cookie: a.cookie });
    expect(one.body).toEqual(o);
    expectProblem(await t.call('GET', '/api/orders', {}), 401);
    expect((await t.call('GET', '/api/orders', { cookie: b.cookie })).body).toEqual([]);
    expectProblem(await t.call('GET', `/api/orders/${o.id}`, { cookie: b.cookie }), 404);
    expectProblem(await t.call('POST', `/api/orders/${o.id}/cancel`, { cookie: b.cookie }), 404);
    expectProblem(await t.call('POST', `/api/orders/${o.id}/reorder`, { cookie: b.cookie }), 404);
    expectProblem(await t.call('GET', '/api/orders/ord_nope', { cookie: a.cookie }), 404);
  });

  it('cancels a placed order, tells every partner already told, and a second cancel changes nothing', async () => {
    const { cookie } = await signUp(t);
    const o = (await place(cookie, order())).body;
    const res = await t.call('POST', `/api/orders/${o.id}/cancel`, { cookie });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect(res.body.events.map((e: Json) => e.status)).toEqual(['placed', 'cancelled']);
    const cancelled = t.deps.sqlite
      .prepare(
        "SELECT partner_id, payload FROM webhook_messages JOIN webhook_payloads ON webhook_payloads.message_id = webhook_messages.id WHERE order_id = ? AND event_type = 'order.cancelled' ORDER BY partner_id",
      )
      .all(o.id) as Json[];
    expect(cancelled.map((m) => m.partner_id)).toEqual(['3pl-eu', 'selvedge-mill', 'workshop']);
    expect(JSON.parse(cancelled[0].payload)).toMatchObject({
      type: 'order.cancelled',
      data: { orderId: o.id },
    });
    const again = await t.call('POST', `/api/orders/${o.id}/cancel`, { cookie });
    expect(again.status).toBe(200);
    expect(again.body.events).toHaveLength(2);
  });

  it('409s cancelling once a supplier accepted', async () => {
    const { cookie } = await signUp(t);
    const o = (await place(cookie, order())).body;
    t.deps.sqlite.prepare("UPDATE order_lines SET status = 'in_production' WHERE id = ?").run(o.lines[0].id);
    t.deps.sqlite.prepare("UPDATE orders SET status = 'in_production' WHERE id = ?").run(o.id);
    expectProblem(await t.call('POST', `/api/orders/${o.id}/cancel`, { cookie }), 409);
    expect((await t.call('GET', `/api/orders/${o.id}`, { cookie })).body.status).toBe('in_production');
  });
});

describe('what a 201 and a 409 tell the client', () => {
  it('a placed order answers 201 with Location naming it, the replay too; a saved spec likewise', async () => {
    const { cookie } = await signUp(t);
    const k = key();
    const first = await place(cookie, order(), k);
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/api/orders/${first.body.id}`);
    const replay = await place(cookie, order(), k);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('location')).toBe(`/api/orders/${first.body.id}`);
    const read = await t.call('GET', first.headers.get('location')!, { cookie });
    expect(read.body.id).toBe(first.body.id);
    const spec = await t.call('POST', '/api/specs', {
      cookie,
      body: { name: 'Mine', productId: 'jeans', selection: JEANS },
    });
    expect(spec.status).toBe(201);
    expect(spec.headers.get('location')).toBe(`/api/specs/${spec.body.id}`);
  });

  it('the 409 for an order that cannot be cancelled says why, true to its state', async () => {
    const { cookie } = await signUp(t);
    const detail = async (status: string, lineStatus: string) => {
      const o = (await place(cookie, order())).body;
      t.deps.sqlite.prepare('UPDATE order_lines SET status = ? WHERE order_id = ?').run(lineStatus, o.id);
      t.deps.sqlite.prepare('UPDATE orders SET status = ? WHERE id = ?').run(status, o.id);
      const p = expectProblem(await t.call('POST', `/api/orders/${o.id}/cancel`, { cookie }), 409);
      expect((p as Json).orderStatus).toBe(status);
      return (p as Json).detail as string;
    };
    // A rejected order was never accepted: "a supplier has already accepted it" was wrong there.
    const rejected = await detail('rejected', 'rejected');
    expect(rejected).toMatch(/rejected/);
    expect(rejected).not.toMatch(/accepted/);
    // A 3PL may ship before any acceptance arrives (events come late or out of order).
    const shipped = await detail('shipped', 'shipped');
    expect(shipped).toMatch(/already shipped/);
    expect(shipped).not.toMatch(/accepted/);
    expect(await detail('in_production', 'in_production')).toMatch(/a supplier has already accepted it/);
  });
});

describe('reorder', () => {
  it('drafts a reorder from a past order with price then and now; retired options get the nearest replacement', async () => {
    const { cookie } = await signUp(t);
    const o = (
      await place(
        cookie,
        order({ lines: [{ productId: 'jeans', selection: { ...JEANS, wash: 'stone' }, quantity: 1 }] }),
      )
    ).body;
    const same = await t.call('POST', `/api/orders/${o.id}/reorder`, { cookie });
    expect(same.status).toBe(200);
    expect(same.body.lines[0]).toMatchObject({
      changed: false,
      then: { unitPrice: o.lines[0].unitPrice },
      now: { unitPrice: o.lines[0].unitPrice },
    });

    t.deps.catalog = editedCatalog(({ products }) => {
      retireOption(products['jeans.json'], 'wash', 'stone');
      products['jeans.json'].basePrice += 1000;
    });
    try {
      const res = await t.call('POST', `/api/orders/${o.id}/reorder`, { cookie });
      const line = res.body.lines[0];
      expect(line.changed).toBe(true);
      expect(line.changes).toEqual([
        expect.objectContaining({ module: 'wash', from: 'stone', fromLabel: 'Stone wash', why: 'retired' }),
      ]);
      expect(line.now.selection.wash).not.toBe('stone');
      expect(line.then.unitPrice).toBe(o.lines[0].unitPrice);
      expect(res.body.totalThen).toBe(o.total);
      // The draft is a ready order body.
      const placed = await place(cookie, res.body.orderRequest);
      expect(placed.status).toBe(201);
      expect(placed.body.lines[0].unitPrice).toBe(line.now.unitPrice);
      // The old order's snapshot did not change.
      expect((await t.call('GET', `/api/orders/${o.id}`, { cookie })).body.lines[0]).toEqual(o.lines[0]);
    } finally {
      t.deps.catalog = originalCatalog;
    }
  });

  it('a line that now needs text the customer must type is not orderable, so the draft stays a valid order', async () => {
    const { cookie } = await signUp(t);
    const shirt = {
      'collar-size': 'n15.5',
      sleeve: 's34',
      fit: 'tailored',
      collar: 'spread',
      cuff: 'barrel',
      fabric: 'poplin',
      pocket: 'none',
    };
    const o = (
      await place(
        cookie,
        order({
          lines: [
            { productId: 'jeans', selection: JEANS, quantity: 1 },
            { productId: 'shirt', selection: shirt, quantity: 1 },
          ],
        }),
      )
    ).body;
    const spec = await saveSpec(cookie);
    t.deps.catalog = editedCatalog(({ products }) => {
      const jeans = products['jeans.json'];
      jeans.modules.find((m: Json) => m.id === 'monogram').required = true;
      jeans.version = '2027.1.0';
    });
    try {
      const validity = (await t.call('GET', `/api/specs/${spec.id}`, { cookie })).body.validity;
      expect(validity.changes).toEqual([{ module: 'monogram', why: 'text_required' }]);
      // The engine cannot invent initials: the alternative says it is not complete yet.
      expect(validity.alternative.complete).toBe(false);
      const res = await t.call('POST', `/api/orders/${o.id}/reorder`, { cookie });
      const [jeansLine, shirtLine] = res.body.lines;
      expect(jeansLine).toMatchObject({ orderable: false, changed: true });
      expect(shirtLine).toMatchObject({ orderable: true, changed: false });
      // Before: the jeans line was "orderable" and in orderRequest, which POST /api/orders refused.
      expect(res.body.orderRequest.lines).toEqual([{ productId: 'shirt', selection: shirt, quantity: 1 }]);
      expect(res.body.totalNow).toBe(shirtLine.now.unitPrice);
      expect((await place(cookie, res.body.orderRequest)).status).toBe(201);
      const fromSpec = (await t.call('POST', `/api/specs/${spec.id}/reorder`, { cookie })).body;
      expect(fromSpec.lines[0].orderable).toBe(false);
      expect(fromSpec.orderRequest.lines).toEqual([]);
    } finally {
      t.deps.catalog = originalCatalog;
    }
  });

  it('a spec line reordered with a replacement keeps the measurements the supplier cuts to', async () => {
    const { cookie } = await signUp(t);
    const measurements = { unit: 'in', values: { waist: 33, hip: 41, inseam: 32 } };
    const spec = await saveSpec(cookie, { selection: { ...JEANS, wash: 'stone' }, measurements });
    const o = (await place(cookie, order({ lines: [{ specId: spec.id, quantity: 1 }] }))).body;
    expect(o.lines[0].measurements).toEqual(measurements);
    t.deps.catalog = editedCatalog(({ products }) => retireOption(products['jeans.json'], 'wash', 'stone'));
    try {
      for (const path of [`/api/orders/${o.id}/reorder`, `/api/specs/${spec.id}/reorder`]) {
        const draft = (await t.call('POST', path, { cookie })).body;
        expect(draft.lines[0].changed).toBe(true);
        const placed = await place(cookie, { shipTo: SHIP_TO, ...draft.orderRequest });
        expect(placed.status).toBe(201);
        expect(placed.body.lines[0].selection.wash).not.toBe('stone');
        // Before: the repaired line was a bare product line, and the measurements were dropped.
        expect(placed.body.lines[0].measurements).toEqual(measurements);
        const payload = t.deps.sqlite
          .prepare(
            `SELECT p.payload FROM webhook_messages m JOIN webhook_payloads p ON p.message_id = m.id
             WHERE m.order_id = ? AND m.event_type = 'production.requested'`,
          )
          .get(placed.body.id) as { payload: string };
        expect(JSON.parse(payload.payload).data.lines[0].measurements).toEqual(measurements);
      }
    } finally {
      t.deps.catalog = originalCatalog;
    }
  });

  it('drafts a reorder from a saved spec', async () => {
    const { cookie } = await signUp(t);
    const spec = await saveSpec(cookie, { name: 'S' });
    const res = await t.call('POST', `/api/specs/${spec.id}/reorder`, { cookie });
    expect(res.status).toBe(200);
    expect(res.body.lines[0]).toMatchObject({
      specId: spec.id,
      changed: false,
      now: { specCode: spec.specCode },
    });
    expectProblem(await t.call('POST', '/api/specs/spec_nope/reorder', { cookie }), 404);
  });
});
