import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '../api';
import { dateTime } from '../format';
import { ordersStore } from '../stores/orders';
import { session } from '../stores/session';
import { stubFetch } from '../test-utils';
import OrderPage from './OrderPage';

const realFetch = globalThis.fetch;
const order = (status: Order['status']): Order => ({
  id: 'ord_1',
  status,
  currency: 'USD',
  total: 12900,
  createdAt: '2026-11-01T10:00:00Z',
  lines: [
    {
      id: 'lin_1',
      productId: 'jeans',
      selection: { fit: 'slim' },
      specCode: 'JN-1',
      quantity: 1,
      unitPrice: 12900,
      supplierId: 'sup_1',
    },
  ],
  shipTo: { name: 'Ada', line1: '1 Loop Street', city: 'Lyon', postalCode: '69001', country: 'FR' },
  threePlId: '3pl_1',
  events: [{ status: 'placed', at: '2026-11-01T10:00:00Z' }],
  shipments: [],
});

const products = {
  'GET /api/products': () => ({
    status: 200,
    body: [{ id: 'jeans', name: 'Made-to-measure jeans', currency: 'USD', basePrice: 12900 }],
  }),
};

beforeEach(() => {
  localStorage.clear();
  ordersStore.reset();
  session.set({ id: 'usr_1', email: 'ada@example.com', name: 'Ada' });
});
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
  session.set(undefined);
});

function setup() {
  const history = createMemoryHistory();
  history.set({ value: '/orders/ord_1' });
  render(() => (
    <MemoryRouter history={history}>
      <Route path="/orders/:id" component={OrderPage} />
    </MemoryRouter>
  ));
}

describe('cancelling an order', () => {
  it('asks first, in the page; "Keep the order" cancels nothing', async () => {
    const calls = stubFetch({ 'GET /api/orders/ord_1': () => ({ status: 200, body: order('placed') }) });
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel order' }));
    const question = screen.getByRole('group', { name: /Cancel this order\? This cannot be undone/ });
    expect(question).toBeTruthy();
    // The safe answer has focus, so a second Enter does not cancel.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep the order' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep the order' }));
    expect(screen.queryByRole('group', { name: /Cancel this order/ })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel order' }));
    expect(calls.some((c) => c.key.startsWith('POST'))).toBe(false);
  });

  it('cancels once confirmed', async () => {
    const calls = stubFetch({
      'GET /api/orders/ord_1': () => ({ status: 200, body: order('placed') }),
      'POST /api/orders/ord_1/cancel': () => ({ status: 200, body: order('cancelled') }),
    });
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel order' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel the order' }));
    await waitFor(() => expect(screen.getByTestId('order-status').textContent).toMatch(/Cancelled/i));
    expect(calls.filter((c) => c.key === 'POST /api/orders/ord_1/cancel')).toHaveLength(1);
    expect(screen.queryByRole('button', { name: /Cancel order|Yes, cancel/ })).toBeNull();
  });

  it('a network failure says so in words and offers to try again', async () => {
    let cancelAttempts = 0;
    stubFetch({ 'GET /api/orders/ord_1': () => ({ status: 200, body: order('placed') }), ...products });
    const stub = globalThis.fetch;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (init?.method === 'POST' && String(input).endsWith('/cancel')) {
        if (++cancelAttempts === 1) throw new TypeError('Failed to fetch');
        return new Response(JSON.stringify(order('cancelled')), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }
      return stub(input, init);
    }) as typeof fetch;
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel order' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel the order' }));
    const alert = await screen.findByText(/could not reach the shop/);
    expect(alert.textContent).toMatch(/has not been cancelled.*try again/i);
    expect(document.body.textContent).not.toContain('Network error');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByTestId('order-status').textContent).toMatch(/Cancelled/i));
    expect(cancelAttempts).toBe(2);
  });

  it('a server failure is put in words too; "production has started" is final', async () => {
    stubFetch({
      'GET /api/orders/ord_1': () => ({ status: 200, body: order('placed') }),
      'POST /api/orders/ord_1/cancel': () => ({
        status: 500,
        body: { title: 'Internal Server Error', status: 500 },
      }),
      ...products,
    });
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel order' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel the order' }));
    await screen.findByText(/went wrong on our side, so your order has not been cancelled/);
    expect(document.body.textContent).not.toContain('Internal Server Error');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();

    stubFetch({
      'GET /api/orders/ord_1': () => ({ status: 200, body: order('in_production') }),
      'POST /api/orders/ord_1/cancel': () => ({ status: 409, body: { title: 'Conflict', status: 409 } }),
      ...products,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('Production has started, so this order can no longer be cancelled.');
    await waitFor(() => expect(screen.queryByRole('button', { name: /Cancel order|Try again/ })).toBeNull());
  });
});

describe('the items of an order', () => {
  it('are named as the shop names them, with the options as ordered and the spec code', async () => {
    const o = order('placed');
    o.lines[0]!.options = [
      { moduleId: 'size', optionId: 'w34-h42', label: 'Waist 34″ / Hip 42″' },
      { moduleId: 'fit', optionId: 'slim', label: 'Slim' },
    ];
    stubFetch({
      'GET /api/orders/ord_1': () => ({ status: 200, body: o }),
      'GET /api/products': () => ({
        status: 200,
        body: [{ id: 'jeans', name: 'Made-to-measure jeans', currency: 'USD', basePrice: 12900 }],
      }),
    });
    setup();
    const item = await screen.findByText('Made-to-measure jeans');
    const li = item.closest('li')!;
    expect(li.textContent).toContain('× 1');
    expect(li.textContent).toContain('Waist 34″ / Hip 42″ · Slim');
    expect(li.textContent).toContain('JN-1');
  });

  it('say the names could not be loaded (never the id as a name), and name them on "Try again"', async () => {
    stubFetch({
      'GET /api/orders/ord_1': () => ({ status: 200, body: order('placed') }),
      'GET /api/products': () => ({ status: 503, body: { title: 'Service Unavailable', status: 503 } }),
    });
    setup();
    const alert = await screen.findByText(/The product names could not be loaded\. Service Unavailable/);
    expect(document.querySelector('.order-lines li')?.textContent).toMatch(/^Product name not loaded × 1/);
    stubFetch({ 'GET /api/orders/ord_1': () => ({ status: 200, body: order('placed') }), ...products });
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByText('Made-to-measure jeans');
    expect(screen.queryByText(/could not be loaded/)).toBeNull();
  });

  it('are named as they were ordered when the order carries the name, whatever today’s catalog says', async () => {
    const o = order('placed');
    o.lines[0]!.productName = 'Original jeans';
    stubFetch({
      'GET /api/orders/ord_1': () => ({ status: 200, body: o }),
      'GET /api/products': () => ({ status: 503, body: { title: 'Service Unavailable', status: 503 } }),
    });
    setup();
    await screen.findByText('Original jeans');
    // Nothing on this page needed the catalog, so nothing failed in the shopper's eyes.
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByText(/could not be loaded/)).toBeNull();
  });

  it('say a product is no longer in the catalog rather than show its id', async () => {
    stubFetch({
      'GET /api/orders/ord_1': () => ({ status: 200, body: order('placed') }),
      'GET /api/products': () => ({ status: 200, body: [] }),
    });
    setup();
    await waitFor(() =>
      expect(document.querySelector('.order-lines li')?.textContent).toMatch(
        /^A product no longer in the catalog × 1/,
      ),
    );
  });
});

describe('ordering again after the catalog changed', () => {
  it('compares the price then and now over the same items when one is left out', async () => {
    // "Price then" summed every line bought and "Price now" only those that can still be made:
    // $298.00 then against $129.00 now read as a price cut.
    const line = (specCode: string, then: number, orderable: boolean) => ({
      productId: 'jeans',
      quantity: 1,
      orderable,
      changed: !orderable,
      then: { specCode, unitPrice: then },
      now: orderable ? { specCode, unitPrice: 13900 } : null,
      changes: orderable ? [] : [{ module: 'fabric', from: 'light-9', why: 'retired' }],
      errors: [],
    });
    stubFetch({
      'GET /api/orders/ord_1': () => ({ status: 200, body: order('delivered') }),
      'POST /api/orders/ord_1/reorder': () => ({
        status: 200,
        body: {
          currency: 'USD',
          totalThen: 29800,
          totalNow: 13900,
          lines: [line('JN-1', 12900, true), line('JN-2', 16900, false)],
          orderRequest: { lines: [{ productId: 'jeans', selection: { fit: 'slim' }, quantity: 1 }] },
        },
      }),
      'GET /api/products/jeans': () => ({ status: 404, body: { title: 'Not found', status: 404 } }),
      ...products,
    });
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Order again' }));
    const prices = await screen.findByText(/Price now/);
    expect(prices.textContent).toMatch(/Price then of the items ordered again: \$129\.00/);
    expect(prices.textContent).toMatch(/Price now: \$139\.00/);
  });
});

describe('a cancelled order', () => {
  const cancelled = (source: string, detail: string): Order => ({
    ...order('cancelled'),
    events: [
      { status: 'placed', at: '2026-11-01T10:00:00Z', source: 'customer' },
      { status: 'cancelled', at: '2026-11-02T09:30:00Z', detail, source },
    ],
  });

  it('says the shop cancelled it, and when', async () => {
    stubFetch({
      'GET /api/orders/ord_1': () => ({ status: 200, body: cancelled('operator', 'Cancelled by the shop') }),
      ...products,
    });
    setup();
    const said = await screen.findByTestId('order-cancelled');
    expect(said.textContent).toBe(`The shop cancelled this order on ${dateTime('2026-11-02T09:30:00Z')}.`);
    // Who cancelled is no "reason" in the timeline.
    expect(document.body.textContent).not.toContain('Reason: Cancelled by');
    const stop = document.querySelector('.timeline [data-status="cancelled"]')!;
    expect(stop.textContent).toContain('Cancelled by the shop');
    expect(stop.textContent).toContain(dateTime('2026-11-02T09:30:00Z'));
  });

  it('says the customer cancelled it themselves', async () => {
    stubFetch({
      'GET /api/orders/ord_1': () => ({
        status: 200,
        body: cancelled('customer', 'Cancelled by the customer'),
      }),
      ...products,
    });
    setup();
    const said = await screen.findByTestId('order-cancelled');
    expect(said.textContent).toBe(`You cancelled this order on ${dateTime('2026-11-02T09:30:00Z')}.`);
  });
});

describe('ordering a saved spec again after the catalog changed it', () => {
  it('updates the spec first and orders it by id, so the new order stays linked to the spec', async () => {
    // The changed spec line was ordered as a plain product line: the new order was no longer the
    // spec's, so fit feedback on it could not adjust the spec (My specs updated the spec first).
    const now = { fit: 'slim', fabric: 'classic-12' };
    const calls = stubFetch({
      'GET /api/orders/ord_1': () => ({ status: 200, body: order('delivered') }),
      'POST /api/orders/ord_1/reorder': () => ({
        status: 200,
        body: {
          currency: 'USD',
          totalThen: 12900,
          totalNow: 12900,
          lines: [
            {
              productId: 'jeans',
              quantity: 1,
              specId: 'spec_1',
              specVersion: 2,
              orderable: true,
              changed: true,
              orderBySpec: false,
              then: { specCode: 'JN-1', unitPrice: 12900, selection: { fit: 'slim', fabric: 'light-9' } },
              now: { specCode: 'JN-2', unitPrice: 12900, selection: now },
              changes: [{ module: 'fabric', from: 'light-9', to: 'classic-12', why: 'retired' }],
              errors: [],
            },
          ],
          orderRequest: {
            lines: [
              { productId: 'jeans', selection: now, quantity: 1, measurements: { unit: 'in', values: {} } },
            ],
            shipTo: order('delivered').shipTo,
          },
        },
      }),
      'GET /api/products/jeans': () => ({ status: 404, body: { title: 'Not found', status: 404 } }),
      'PATCH /api/specs/spec_1': () => ({
        status: 200,
        body: { id: 'spec_1', name: 'Work jeans', selection: now },
      }),
      'POST /api/orders': () => ({ status: 201, body: { ...order('placed'), id: 'ord_2' } }),
      ...products,
    });
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Order again' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Update my spec and order' }));
    await waitFor(() => expect(calls.some((c) => c.key === 'POST /api/orders')).toBe(true));
    const patch = calls.find((c) => c.key === 'PATCH /api/specs/spec_1')!;
    expect(JSON.parse(String(patch.init?.body))).toEqual({ selection: now });
    const placed = calls.find((c) => c.key === 'POST /api/orders')!;
    expect(JSON.parse(String(placed.init?.body)).lines).toEqual([{ specId: 'spec_1', quantity: 1 }]);
    expect(calls.findIndex((c) => c.key === 'PATCH /api/specs/spec_1')).toBeLessThan(
      calls.findIndex((c) => c.key === 'POST /api/orders'),
    );
  });
});
