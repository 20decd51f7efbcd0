import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, api } from './api';
import { accountApi } from './api-account';
import { stubFetch } from './test-utils';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('api client', () => {
  it('turns a problem+json answer into an ApiError with the field errors', async () => {
    stubFetch({
      'POST /api/specs': () => ({
        status: 422,
        body: {
          type: 'https://tailorloop.dev/problems/validation',
          title: 'Invalid request',
          status: 422,
          errors: [
            { path: 'name', code: 'too_small', message: 'Give the spec a name.' },
            { path: 'selection.fit', code: 'rule', message: 'A skinny fit needs stretch fabric.' },
          ],
        },
      }),
    });
    const err = await accountApi.createSpec({ name: '', productId: 'jeans', selection: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.errorFor('name')).toBe('Give the spec a name.');
    expect(err.errorFor('fit')).toBe('A skinny fit needs stretch fabric.');
  });

  it('reports a network failure as status 0 with a readable message', async () => {
    globalThis.fetch = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
    const err = await api.me().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.readable).toMatch(/could not reach/i);
  });

  it('sends the idempotency key header with an order', async () => {
    const calls = stubFetch({ 'POST /api/orders': () => ({ status: 201, body: { id: 'ord_1' } }) });
    await accountApi.placeOrder(
      {
        lines: [{ specId: 'spec_1', quantity: 1 }],
        shipTo: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'US' },
      },
      'key-1',
    );
    expect((calls[0]!.init!.headers as Record<string, string>)['idempotency-key']).toBe('key-1');
  });
});
