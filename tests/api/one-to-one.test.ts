import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../catalog/index';
import { createTestApp, expectProblem, JEANS, type Json, SHIP_TO, signUp, type TestApp } from './setup';

// The learning loop over HTTP: feedback → proposal → accepted spec version → reorder uses it;
// the remake policy; the complaint lifecycle; the operator's order search and detail.

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };
let t: TestApp;

beforeAll(() => {
  t = createTestApp();
});
afterAll(() => t.close());

/** Partners would walk it there with signed events; here the test moves it directly. */
function markDelivered(orderId: string) {
  t.deps.sqlite.prepare("UPDATE orders SET status = 'delivered' WHERE id = ?").run(orderId);
  t.deps.sqlite.prepare("UPDATE order_lines SET status = 'delivered' WHERE order_id = ?").run(orderId);
}

let keySeq = 0;
async function order(cookie: string, lines: Json[]) {
  const res = await t.call('POST', '/api/orders', {
    cookie,
    headers: { 'idempotency-key': `k-${++keySeq}` },
    body: { lines, shipTo: SHIP_TO },
  });
  if (res.status !== 201) throw new Error(`order failed ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function customerWithDeliveredSpecOrder() {
  const who = await signUp(t);
  const spec = await t.call('POST', '/api/specs', {
    cookie: who.cookie,
    body: { name: 'Everyday jeans', productId: 'jeans', selection: JEANS },
  });
  expect(spec.status).toBe(201);
  const o = await order(who.cookie, [{ specId: spec.body.id, quantity: 1 }]);
  return { ...who, spec: spec.body, order: o, lineId: o.lines[0].id as string };
}

describe('fit feedback → proposal → accepted spec version → reorder', () => {
  it('runs the whole loop', async () => {
    const c = await customerWithDeliveredSpecOrder();
    const path = `/api/orders/${c.order.id}/lines/${c.lineId}/feedback`;
    const answers = { waist: 'too_tight', hip: 'right', thigh: 'right', inseam: 'too_short' };

    const early: Json = expectProblem(
      await t.call('POST', path, { cookie: c.cookie, body: { answers } }),
      409,
    );
    expect(early.detail).toMatch(/delivered/);

    markDelivered(c.order.id);
    const questions = await t.call('GET', `/api/orders/${c.order.id}/feedback`, { cookie: c.cookie });
    expect(questions.status).toBe(200);
    expect(questions.body.open).toBe(true);
    expect(questions.body.lines[0].areas.map((a: Json) => a.id)).toEqual(['waist', 'hip', 'thigh', 'inseam']);
    expect(questions.body.lines[0].areas[3].answers).toEqual(['too_short', 'right', 'too_long']);

    const fb = await t.call('POST', path, {
      cookie: c.cookie,
      body: { answers, comment: 'Tight at the waist after washing' },
    });
    expect(fb.status).toBe(201);
    expect(fb.body).toMatchObject({
      verdict: 'adjust',
      decision: 'pending',
      specId: c.spec.id,
      specVersion: 1,
    });
    const proposal = fb.body.proposal;
    expect(proposal.before.selection).toEqual(JEANS);
    expect(proposal.changes.map((ch: Json) => ch.module).sort()).toEqual(['inseam', 'size']);
    expect(proposal.after.selection.inseam).not.toBe(JEANS.inseam);
    expect(proposal.summary.length).toBeGreaterThan(0);
    const cp = t.deps.catalog.products.get('jeans')!;
    const v = validate(cp, proposal.after.selection);
    expect(v.valid && v.complete).toBe(true);

    // Once per line.
    expectProblem(await t.call('POST', path, { cookie: c.cookie, body: { answers } }), 409);
    // Someone else cannot see or decide it.
    const other = await signUp(t);
    expectProblem(await t.call('GET', `/api/feedback/${fb.body.id}`, { cookie: other.cookie }), 404);
    expectProblem(await t.call('POST', `/api/feedback/${fb.body.id}/accept`, { cookie: other.cookie }), 404);

    const accepted = await t.call('POST', `/api/feedback/${fb.body.id}/accept`, { cookie: c.cookie });
    expect(accepted.status).toBe(200);
    expect(accepted.body.spec).toMatchObject({
      id: c.spec.id,
      version: 2,
      selection: proposal.after.selection,
    });
    expect(accepted.body.feedback).toMatchObject({
      decision: 'accepted',
      resultSpec: { id: c.spec.id, version: 2 },
    });
    // The draft orders the spec by id (so the next order stays linked to it) at its new version.
    expect(accepted.body.reorder.orderRequest.lines[0]).toEqual({ specId: c.spec.id, quantity: 1 });
    expect(accepted.body.reorder.lines[0].now.selection).toEqual(proposal.after.selection);
    expectProblem(await t.call('POST', `/api/feedback/${fb.body.id}/accept`, { cookie: c.cookie }), 409);

    const versions = await t.call('GET', `/api/specs/${c.spec.id}/versions`, { cookie: c.cookie });
    expect(versions.body.map((x: Json) => x.version)).toEqual([2, 1]);

    // The next order from the spec is made with the adjusted size.
    const next = await order(c.cookie, [{ specId: c.spec.id, quantity: 1 }]);
    expect(next.lines[0].selection).toEqual(proposal.after.selection);
    const draft = await t.call('POST', `/api/specs/${c.spec.id}/reorder`, { cookie: c.cookie });
    expect(draft.body.lines[0].now.selection).toEqual(proposal.after.selection);

    // Reordering the ORIGINAL order also follows the spec's adjusted version, showing what was bought.
    const again = await t.call('POST', `/api/orders/${c.order.id}/reorder`, { cookie: c.cookie });
    expect(again.status).toBe(200);
    expect(again.body.lines[0]).toMatchObject({ specId: c.spec.id, specVersion: 2 });
    expect(again.body.lines[0].now.selection).toEqual(proposal.after.selection);
    expect(again.body.lines[0].then.selection).not.toEqual(proposal.after.selection);
    expect(again.body.orderRequest.lines[0]).toEqual({ specId: c.spec.id, quantity: 1 });
    const reordered = await order(c.cookie, again.body.orderRequest.lines);
    expect(reordered.lines[0].selection).toEqual(proposal.after.selection);
  });

  it('records "all right" without a proposal, and a declined proposal leaves the spec alone', async () => {
    const c = await customerWithDeliveredSpecOrder();
    markDelivered(c.order.id);
    const right = await t.call('POST', `/api/orders/${c.order.id}/lines/${c.lineId}/feedback`, {
      cookie: c.cookie,
      body: { answers: { waist: 'right', hip: 'right', thigh: 'right', inseam: 'right' } },
    });
    expect(right.status).toBe(201);
    expect(right.body).toMatchObject({ verdict: 'right', decision: 'none', proposal: null });
    expectProblem(await t.call('POST', `/api/feedback/${right.body.id}/accept`, { cookie: c.cookie }), 409);

    const d = await customerWithDeliveredSpecOrder();
    markDelivered(d.order.id);
    const loose = await t.call('POST', `/api/orders/${d.order.id}/lines/${d.lineId}/feedback`, {
      cookie: d.cookie,
      body: { answers: { thigh: 'too_loose' } },
    });
    expect(loose.body.proposal.changes).toEqual([
      expect.objectContaining({ module: 'fit', from: 'straight', to: 'slim', why: 'adjusted' }),
    ]);
    const declined = await t.call('POST', `/api/feedback/${loose.body.id}/decline`, { cookie: d.cookie });
    expect(declined.body.decision).toBe('declined');
    const spec = await t.call('GET', `/api/specs/${d.spec.id}`, { cookie: d.cookie });
    expect(spec.body).toMatchObject({ version: 1, selection: JEANS });
  });

  it('accepting changes only what the proposal changes: edits made to the spec since the order stay', async () => {
    const c = await customerWithDeliveredSpecOrder();
    markDelivered(c.order.id);
    // After the order the customer chose another fit and wash for next time (version 2).
    const edited = await t.call('PATCH', `/api/specs/${c.spec.id}`, {
      cookie: c.cookie,
      body: { selection: { ...JEANS, fit: 'slim', wash: 'stone' } },
    });
    expect(edited.body.version).toBe(2);
    const fb = await t.call('POST', `/api/orders/${c.order.id}/lines/${c.lineId}/feedback`, {
      cookie: c.cookie,
      body: { answers: { waist: 'too_tight' } },
    });
    expect(fb.body.proposal.changes.map((ch: Json) => ch.module)).toEqual(['size']);
    const accepted = await t.call('POST', `/api/feedback/${fb.body.id}/accept`, { cookie: c.cookie });
    expect(accepted.status).toBe(200);
    // It wrote the line as bought with the new size: fit and wash went back to straight and rinse.
    expect(accepted.body.spec).toMatchObject({
      version: 3,
      selection: { ...JEANS, fit: 'slim', wash: 'stone', size: fb.body.proposal.after.selection.size },
    });
    expect(accepted.body.reorder.lines[0].now.selection).toEqual(accepted.body.spec.selection);
  });

  it('answers wrong input with problems naming the field', async () => {
    const c = await customerWithDeliveredSpecOrder();
    markDelivered(c.order.id);
    const path = `/api/orders/${c.order.id}/lines/${c.lineId}/feedback`;
    const unknown = expectProblem(
      await t.call('POST', path, {
        cookie: c.cookie,
        body: { answers: { collar: 'too_tight', inseam: 'too_tight' } },
      }),
      422,
    );
    expect(unknown.errors!.map((e: Json) => [e.path, e.code])).toEqual([
      ['answers.collar', 'unknown_area'],
      ['answers.inseam', 'invalid_answer'],
    ]);
    expectProblem(await t.call('POST', path, { cookie: c.cookie, body: { answers: {} } }), 422);
    expectProblem(await t.call('POST', path, { cookie: c.cookie, raw: '{"answers":' }), 400);
    expectProblem(await t.call('POST', path, { body: { answers: { waist: 'right' } } }), 401);
    expectProblem(
      await t.call('POST', `/api/orders/${c.order.id}/lines/line_nope/feedback`, {
        cookie: c.cookie,
        body: { answers: { waist: 'right' } },
      }),
      404,
    );
    // A line bought without a saved spec: accepting saves a new spec.
    const plain = await order(c.cookie, [{ productId: 'jeans', selection: JEANS, quantity: 1 }]);
    markDelivered(plain.id);
    const fb = await t.call('POST', `/api/orders/${plain.id}/lines/${plain.lines[0].id}/feedback`, {
      cookie: c.cookie,
      body: { answers: { waist: 'too_loose' } },
    });
    const acc = await t.call('POST', `/api/feedback/${fb.body.id}/accept`, { cookie: c.cookie });
    expect(acc.status).toBe(200);
    expect(acc.body.spec.id).not.toBe(c.spec.id);
    expect(acc.body.spec).toMatchObject({ version: 1, selection: fb.body.proposal.after.selection });
  });
});

describe('remakes', () => {
  it('makes a free linked child order, routed with the reason, within the policy limit', async () => {
    const c = await customerWithDeliveredSpecOrder();
    const path = `/api/orders/${c.order.id}/lines/${c.lineId}/remake`;
    expectProblem(await t.call('POST', path, { cookie: c.cookie, body: { reason: 'fit' } }), 409);
    markDelivered(c.order.id);
    expectProblem(await t.call('POST', path, { cookie: c.cookie, body: { reason: 'bad' } }), 422);

    // Accept an adjustment first: the remake is made to it.
    const fb = await t.call('POST', `/api/orders/${c.order.id}/lines/${c.lineId}/feedback`, {
      cookie: c.cookie,
      body: { answers: { waist: 'too_tight' } },
    });
    await t.call('POST', `/api/feedback/${fb.body.id}/accept`, { cookie: c.cookie });

    const first = await t.call('POST', path, {
      cookie: c.cookie,
      body: { reason: 'fit', detail: 'Waist too tight' },
    });
    expect(first.status).toBe(201);
    const child = first.body.order;
    expect(child).toMatchObject({ total: 0, status: 'placed' });
    expect(child.lines[0]).toMatchObject({ unitPrice: 0, selection: fb.body.proposal.after.selection });
    expect(child.events[0].detail).toMatch(new RegExp(`Remake of ${c.order.id} \\(fit: Waist too tight\\)`));
    expect(first.body.remake).toMatchObject({
      parentOrderId: c.order.id,
      childOrderId: child.id,
      reason: 'fit',
    });
    expect(first.body.allowance).toEqual({ used: 1, limit: 2, remaining: 1 });

    const parent = await t.call('GET', `/api/orders/${c.order.id}`, { cookie: c.cookie });
    expect(parent.body.status).toBe('delivered');
    expect(parent.body.events.at(-1).detail).toMatch(new RegExp(`Remake ${child.id} requested`));

    const payload = t.deps.sqlite
      .prepare(
        "SELECT partner_id, payload FROM webhook_messages JOIN webhook_payloads ON webhook_payloads.message_id = webhook_messages.id WHERE order_id = ? AND event_type = 'production.requested'",
      )
      .get(child.id) as { partner_id: string; payload: string };
    expect(payload.partner_id).toBe('workshop');
    expect(JSON.parse(payload.payload).data.remake).toEqual({
      parentOrderId: c.order.id,
      parentLineId: c.lineId,
      reason: 'fit',
      detail: 'Waist too tight',
    });

    // A double click returns the same remake.
    const again = await t.call('POST', path, { cookie: c.cookie, body: { reason: 'fit' } });
    expect(again.status).toBe(200);
    expect(again.body.remake.id).toBe(first.body.remake.id);

    const second = await t.call('POST', path, { cookie: c.cookie, body: { reason: 'defect' } });
    expect(second.status).toBe(201);
    const third: Json = expectProblem(
      await t.call('POST', path, { cookie: c.cookie, body: { reason: 'other' } }),
      409,
    );
    expect(third).toMatchObject({ reason: 'remake_limit', used: 2, limit: 2 });

    const list = await t.call('GET', `/api/orders/${c.order.id}/remakes`, { cookie: c.cookie });
    expect(list.body.remakes).toHaveLength(2);
    const childView = await t.call('GET', `/api/orders/${child.id}/remakes`, { cookie: c.cookie });
    expect(childView.body.remakeOf.parentOrderId).toBe(c.order.id);
  });
});

describe('a remake that is never made', () => {
  it('gives the remake back to the customer when the shop cancels it or the supplier rejects it', async () => {
    const c = await customerWithDeliveredSpecOrder();
    markDelivered(c.order.id);
    const path = `/api/orders/${c.order.id}/lines/${c.lineId}/remake`;
    const first = await t.call('POST', path, { cookie: c.cookie, body: { reason: 'defect' } });
    expect(first.body.allowance).toEqual({ used: 1, limit: 2, remaining: 1 });
    // The supplier cannot make it (as the inbound route leaves a rejection).
    t.deps.sqlite.prepare("UPDATE orders SET status = 'rejected' WHERE id = ?").run(first.body.order.id);
    t.deps.sqlite
      .prepare("UPDATE order_lines SET status = 'rejected' WHERE order_id = ?")
      .run(first.body.order.id);
    const second = await t.call('POST', path, { cookie: c.cookie, body: { reason: 'fit' } });
    expect(second.status).toBe(201);
    expect(second.body.allowance).toEqual({ used: 1, limit: 2, remaining: 1 });
    // An operator cancels it before a supplier started.
    const cancelled = await t.call('POST', `/api/admin/orders/${second.body.order.id}/cancel`, {
      headers: ADMIN,
    });
    expect(cancelled.body.order.status).toBe('cancelled');
    const allowance = await t.call('GET', '/api/remake-allowance/jeans', { cookie: c.cookie });
    expect(allowance.body).toEqual({ used: 0, limit: 2, remaining: 2 });
    // Nothing was made, so the customer may still ask (it said "2 already used").
    const third = await t.call('POST', path, { cookie: c.cookie, body: { reason: 'other' } });
    expect(third.status).toBe(201);
  });
});

describe('asking for a remake again within a minute', () => {
  it('returns the first remake only while it is live; a rejected or cancelled one gets a new remake', async () => {
    const c = await customerWithDeliveredSpecOrder();
    markDelivered(c.order.id);
    const path = `/api/orders/${c.order.id}/lines/${c.lineId}/remake`;
    const first = await t.call('POST', path, { cookie: c.cookie, body: { reason: 'defect' } });
    expect(first.status).toBe(201);
    // The supplier rejects it at once; the customer asks again with the same reason.
    t.deps.sqlite.prepare("UPDATE orders SET status = 'rejected' WHERE id = ?").run(first.body.order.id);
    const second = await t.call('POST', path, { cookie: c.cookie, body: { reason: 'defect' } });
    expect(second.status).toBe(201);
    expect(second.body.remake.id).not.toBe(first.body.remake.id);
    expect(second.body.order.status).toBe('placed');
    // A double click on the live one still gets it back.
    const again = await t.call('POST', path, { cookie: c.cookie, body: { reason: 'defect' } });
    expect(again.status).toBe(200);
    expect(again.body.remake.id).toBe(second.body.remake.id);
    // The shop cancels it: asking again makes a new one, not the cancelled one.
    const cancelled = await t.call('POST', `/api/admin/orders/${second.body.order.id}/cancel`, {
      headers: ADMIN,
    });
    expect(cancelled.body.order.status).toBe('cancelled');
    const third = await t.call('POST', path, { cookie: c.cookie, body: { reason: 'defect' } });
    expect(third.status).toBe(201);
    expect(third.body.remake.id).not.toBe(second.body.remake.id);
    expect(third.body.order.status).toBe('placed');
    expect(third.body.allowance).toEqual({ used: 1, limit: 2, remaining: 1 });
  });
});

describe('complaints', () => {
  it('records category, contacts and resolution', async () => {
    const c = await customerWithDeliveredSpecOrder();
    const opened = await t.call('POST', `/api/orders/${c.order.id}/complaints`, {
      cookie: c.cookie,
      body: { category: 'damaged', message: 'The parcel was torn' },
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ category: 'damaged', status: 'open', contacts: 1 });
    expectProblem(
      await t.call('POST', `/api/orders/${c.order.id}/complaints`, {
        cookie: c.cookie,
        body: { category: 'angry', message: 'x' },
      }),
      422,
    );
    const other = await signUp(t);
    expectProblem(
      await t.call('POST', `/api/orders/${c.order.id}/complaints`, {
        cookie: other.cookie,
        body: { category: 'late', message: 'x' },
      }),
      404,
    );

    const follow = await t.call('POST', `/api/complaints/${opened.body.id}/messages`, {
      cookie: c.cookie,
      body: { message: 'Any news?' },
    });
    expect(follow.body.contacts).toBe(2);

    expectProblem(await t.call('GET', '/api/admin/complaints'), 401);
    const open = await t.call('GET', '/api/admin/complaints?status=open', { headers: ADMIN });
    expect(open.body.map((x: Json) => x.id)).toContain(opened.body.id);
    const resolved = await t.call('POST', `/api/admin/complaints/${opened.body.id}/resolve`, {
      headers: ADMIN,
      body: { resolution: 'Replacement sent' },
    });
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolution: 'Replacement sent',
      resolvedAtFirstContact: false,
    });
    expect(resolved.body.messages.map((m: Json) => m.author)).toEqual(['customer', 'customer', 'operator']);
    expectProblem(
      await t.call('POST', `/api/admin/complaints/${opened.body.id}/resolve`, {
        headers: ADMIN,
        body: { resolution: 'again' },
      }),
      409,
    );
    const mine = await t.call('GET', '/api/complaints', { cookie: c.cookie });
    expect(mine.body[0]).toMatchObject({ id: opened.body.id, status: 'resolved' });

    // The customer writes again: open again, and no longer shown as settled by the old resolution
    // (the console's customer page read 'open · 3 contact(s) · Replacement sent').
    const reopened = await t.call('POST', `/api/complaints/${opened.body.id}/messages`, {
      cookie: c.cookie,
      body: { message: 'The replacement is torn too' },
    });
    expect(reopened.body).toMatchObject({ status: 'open', contacts: 3 });
    expect(reopened.body.resolution).toBeUndefined();
    expect(reopened.body.messages.map((m: Json) => m.body)).toContain('Replacement sent');
    const page = await t.call('GET', `/api/admin/customers/${c.customer.id}`, { headers: ADMIN });
    expect(page.body.complaints[0]).toMatchObject({ status: 'open' });
    expect(page.body.complaints[0].resolution).toBeUndefined();
  });
});

describe('operator orders', () => {
  it('finds orders by customer email and shows deliveries, routing and events; exports CSV', async () => {
    const c = await customerWithDeliveredSpecOrder();
    expectProblem(await t.call('GET', '/api/admin/orders'), 401);
    expectProblem(
      await t.call('GET', '/api/admin/orders', { headers: { authorization: 'Bearer wrong' } }),
      401,
    );
    const found = await t.call('GET', `/api/admin/orders?q=${encodeURIComponent(c.email)}`, {
      headers: ADMIN,
    });
    expect(found.status).toBe(200);
    expect(found.body.total).toBe(1);
    expect(found.body.items[0]).toMatchObject({ id: c.order.id, customer: { email: c.email }, lines: 1 });
    expectProblem(await t.call('GET', '/api/admin/orders?status=lost', { headers: ADMIN }), 422);
    expectProblem(await t.call('GET', '/api/admin/orders?from=yesterday', { headers: ADMIN }), 422);

    const detail = await t.call('GET', `/api/admin/orders/${c.order.id}`, { headers: ADMIN });
    expect(detail.body.order.lines[0].routing.reason).toBeTruthy();
    expect(detail.body.deliveries.map((d: Json) => d.eventType).sort()).toEqual([
      'fulfillment.requested',
      'production.requested',
    ]);
    expect(detail.body.customer.email).toBe(c.email);
    expectProblem(await t.call('GET', '/api/admin/orders/ord_missing', { headers: ADMIN }), 404);

    const csv = await t.app.request(`/api/admin/orders?format=csv&customerId=${c.customer.id}`, {
      headers: ADMIN,
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toMatch(/^id,created_at,status/);
    expect(text).toContain(c.order.id);

    const cancelled = await t.call('POST', `/api/admin/orders/${c.order.id}/cancel`, { headers: ADMIN });
    expect(cancelled.body.order.status).toBe('cancelled');
  });
});
