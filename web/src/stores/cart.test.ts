import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { stubFetch } from '../test-utils';
import { cart } from './cart';
import { placeWithKey } from './place-order';
import { session } from './session';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});
const shipTo = { name: 'Ada', line1: '1 Loop St', city: 'Lyon', postalCode: '69001', country: 'FR' };

describe('checkout idempotency', () => {
  it('reuses the key of an attempt on retry and makes a new one when the body changes', async () => {
    const keys: string[] = [];
    let fail = true;
    globalThis.fetch = (async (_: unknown, init?: RequestInit) => {
      keys.push((init!.headers as Record<string, string>)['idempotency-key']!);
      if (fail) throw new TypeError('network down');
      return new Response(JSON.stringify({ id: 'ord_1' }), { status: 201 });
    }) as typeof fetch;
    let current: { key: string; body: string } | undefined;
    const attempt = {
      get current() {
        return current;
      },
      save: (a: typeof current) => (current = a),
    };
    const body = { lines: [{ specId: 'spec_1', quantity: 1 }], shipTo };
    const first = await placeWithKey(body, attempt).catch((e) => e);
    expect(first).toBeInstanceOf(ApiError);
    fail = false;
    await placeWithKey(body, attempt);
    expect(keys[0]).toBe(keys[1]);
    await placeWithKey({ ...body, lines: [{ specId: 'spec_1', quantity: 2 }] }, attempt);
    expect(keys[2]).not.toBe(keys[1]);
  });

  it('a double click on place order sends one request', async () => {
    const calls = stubFetch({ 'POST /api/orders': () => ({ status: 201, body: { id: 'ord_9', shipTo } }) });
    cart.clear();
    cart.add({ productId: 'jeans', selection: { fit: 'slim' } });
    for (const [k, v] of Object.entries(shipTo)) cart.setShipTo(k as keyof typeof shipTo, v);
    const [a, b] = await Promise.all([cart.place(), cart.place()]);
    expect(a.id).toBe('ord_9');
    expect(b).toBe(a);
    expect(calls.filter((c) => c.key === 'POST /api/orders')).toHaveLength(1);
    expect(cart.state.lines).toHaveLength(0);
  });
});

describe('a shared browser', () => {
  it('another account signing in here drops the address and the saved specs of the one before, not the rest of the cart', async () => {
    const me = (id: string) => ({ status: 200, body: { id, email: `${id}@example.com`, name: id } });
    let who = 'cus_alice';
    stubFetch({ 'GET /api/me': () => me(who) });
    await session.refresh(true);
    cart.clear();
    cart.add({ productId: 'jeans', selection: { fit: 'slim' } });
    cart.add({
      productId: 'jeans',
      selection: { fit: 'slim' },
      specId: 'spec_alice',
      specName: 'Alice jeans',
    });
    cart.setShipTo('name', 'Alice');
    localStorage.setItem('tl.lastShipTo', JSON.stringify(shipTo));
    // Alice's session expires without a sign-out; Bob signs in.
    who = 'cus_bob';
    await session.refresh(true);
    expect(cart.state.lines.map((l) => l.specId)).toEqual([undefined]);
    expect(cart.state.shipTo.name).toBe('');
    expect(localStorage.getItem('tl.lastShipTo')).toBeNull();
    // Bob signs out: nothing of his stays either.
    cart.setShipTo('name', 'Bob');
    stubFetch({ 'POST /api/auth/logout': () => ({ status: 204 }) });
    await session.signOut();
    expect(cart.state.lines).toEqual([]);
    expect(cart.state.shipTo.name).toBe('');
  });
});

describe('the cart', () => {
  it('keeps one line per configuration: the same one added again raises its quantity', () => {
    cart.clear();
    const selection = { size: 'w34-h42', fit: 'straight' };
    const a = cart.add({ productId: 'jeans', selection });
    // The same choices in another order are the same configuration.
    const b = cart.add({ productId: 'jeans', selection: { fit: 'straight', size: 'w34-h42' } });
    expect(b).toBe(a);
    expect(cart.state.lines).toEqual([expect.objectContaining({ key: a, quantity: 2 })]);
    // Another choice, another product, or a saved spec is a line of its own.
    cart.add({ productId: 'jeans', selection: { ...selection, fit: 'slim' } });
    cart.add({ productId: 'shirt', selection });
    cart.add({ productId: 'jeans', selection, specId: 'spec_1' });
    expect(cart.state.lines.map((l) => l.quantity)).toEqual([2, 1, 1, 1]);
    cart.clear();
  });
});

describe('an order placed while the shopper is elsewhere', () => {
  it('takes out of the cart only what it ordered, and is there to be said', async () => {
    let answer!: () => void;
    const held = new Promise<void>((r) => {
      answer = r;
    });
    globalThis.fetch = (async () => {
      await held;
      return new Response(JSON.stringify({ id: 'ord_7', shipTo }), { status: 201 });
    }) as typeof fetch;
    cart.clear();
    cart.seen();
    for (const [k, v] of Object.entries(shipTo)) cart.setShipTo(k as keyof typeof shipTo, v);
    const first = cart.add({ productId: 'jeans', selection: { fit: 'slim' } });
    const placing = cart.place();
    expect(cart.state.placing).toBe(true);
    // Back in the configurator meanwhile: another pair of the same, and a shirt.
    cart.add({ productId: 'jeans', selection: { fit: 'slim' } });
    cart.add({ productId: 'shirt', selection: { collar: 'button-down' } });
    answer();
    await placing;
    expect(cart.placed()?.id).toBe('ord_7');
    expect(cart.state.lines.map((l) => [l.key === first, l.productId, l.quantity])).toEqual([
      [true, 'jeans', 1],
      [false, 'shirt', 1],
    ]);
    expect(cart.state.attempt).toBeUndefined();
    cart.clear();
    cart.seen();
  });

  it('a reload while placing sends the same request again with its key, and empties the cart', async () => {
    const body = leftPending('chk_1', Date.now() - 60_000);
    const calls = stubFetch({ 'POST /api/orders': () => ({ status: 200, body: { id: 'ord_8', shipTo } }) });
    // The page as loaded again: the cart module reads what the last one left.
    vi.resetModules();
    const fresh = (await import('./cart')).cart;
    expect(fresh.state.lines).toHaveLength(1);
    fresh.resume();
    await vi.waitFor(() => expect(fresh.placed()?.id).toBe('ord_8'));
    expect(calls).toHaveLength(1);
    expect((calls[0]!.init!.headers as Record<string, string>)['idempotency-key']).toBe('chk_1');
    expect(JSON.parse(String(calls[0]!.init!.body))).toEqual(body);
    expect(fresh.state.lines).toEqual([]);
    expect(localStorage.getItem('tl.checkoutAttempt')).toBeNull();
  });

  it('an attempt that was answered (refused or not reached) is not sent again on a reload', async () => {
    localStorage.setItem('tl.checkoutAttempt', JSON.stringify({ key: 'chk_2', body: '{}', pending: false }));
    const calls = stubFetch({});
    vi.resetModules();
    const fresh = (await import('./cart')).cart;
    fresh.resume();
    // Sending starts at once (placing, then the request): nothing started.
    expect(fresh.state.placing).toBe(false);
    expect(calls).toHaveLength(0);
    localStorage.clear();
  });
});

describe('what a shared browser keeps after sign-out', () => {
  it('the body measurements typed in the configurator go with the account', async () => {
    const me = (id: string) => ({ status: 200, body: { id, email: `${id}@example.com`, name: id } });
    let who = 'cus_carol';
    stubFetch({ 'GET /api/me': () => me(who) });
    await session.refresh(true);
    const carol = JSON.stringify({ unit: 'cm', values: { waist: 81, hip: 99, inseam: 79 } });
    localStorage.setItem('tl.measure.jeans', carol);
    localStorage.setItem('tl.measure.shirt', carol);
    // Carol's session ends without a sign-out; Dan signs in here.
    who = 'cus_dan';
    await session.refresh(true);
    expect(localStorage.getItem('tl.measure.jeans')).toBeNull();
    expect(localStorage.getItem('tl.measure.shirt')).toBeNull();
    // Dan types his and signs out: they go too.
    localStorage.setItem('tl.measure.jeans', carol);
    stubFetch({ 'POST /api/auth/logout': () => ({ status: 204 }) });
    await session.signOut();
    expect(localStorage.getItem('tl.measure.jeans')).toBeNull();
  });

  it('the notice of the order just placed is not left for the next one', async () => {
    stubFetch({ 'POST /api/orders': () => ({ status: 201, body: { id: 'ord_erin', shipTo } }) });
    cart.clear();
    for (const [k, v] of Object.entries(shipTo)) cart.setShipTo(k as keyof typeof shipTo, v);
    cart.add({ productId: 'jeans', selection: { fit: 'slim' } });
    await cart.place();
    expect(cart.placed()?.id).toBe('ord_erin');
    stubFetch({ 'POST /api/auth/logout': () => ({ status: 204 }) });
    await session.signOut();
    expect(cart.placed()).toBeUndefined();
  });
});

describe('a checkout attempt left pending long ago', () => {
  it('is not sent again on a later visit: the shop may have forgotten its key and would place it twice', async () => {
    leftPending('chk_old', Date.now() - 3 * 24 * 3600_000);
    const calls = stubFetch({
      'POST /api/orders': () => ({ status: 201, body: { id: 'ord_twice', shipTo } }),
    });
    vi.resetModules();
    const fresh = (await import('./cart')).cart;
    fresh.resume();
    // Sending starts synchronously (placing), so nothing started means nothing will be sent.
    expect(fresh.state.placing).toBe(false);
    expect(calls).toHaveLength(0);
    expect(fresh.placed()).toBeUndefined();
    // The cart is kept for the shopper to look at (My orders) and place again if they will.
    expect(fresh.state.lines).toHaveLength(1);
    expect(JSON.parse(localStorage.getItem('tl.checkoutAttempt') ?? '{}').pending).not.toBe(true);
    localStorage.clear();
  });
});

/** What a page closed while placing leaves in the browser: a one-line cart and its pending attempt. */
function leftPending(key: string, sentAt: number) {
  const body = { lines: [{ productId: 'jeans', selection: { fit: 'slim' }, quantity: 1 }], shipTo };
  localStorage.setItem(
    'tl.cart',
    JSON.stringify([{ key: 'l1', productId: 'jeans', selection: { fit: 'slim' }, quantity: 1 }]),
  );
  localStorage.setItem(
    'tl.checkoutAttempt',
    JSON.stringify({ key, body: JSON.stringify(body), lines: [['l1', 1]], pending: true, sentAt }),
  );
  return body;
}
