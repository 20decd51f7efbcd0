import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { stubFetch } from '../test-utils';
import { cart } from './cart';
import { placeWithKey } from './place-order';

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
