import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { loaded, stubFetch } from '../../test-utils';
import type { Feedback, FeedbackQuestions } from '../api';
import FitFeedbackPage from './FitFeedbackPage';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

const feedback: Feedback = {
  id: 'fb_1',
  lineId: 'lin_1',
  verdict: 'adjust',
  decision: 'pending',
  proposal: {
    before: { specCode: 'JN-34/42-32', options: [] },
    after: { specCode: 'JN-35/42-33', unitPrice: 12900, currency: 'USD', selection: {} },
    changes: [
      { module: 'size', fromLabel: '34″ / 42″', toLabel: '35″ / 42″', why: 'adjusted' },
      { module: 'inseam', fromLabel: '32″', toLabel: '33″', why: 'adjusted' },
    ],
    summary: ['Waist / hip: 34″ / 42″ → 35″ / 42″ (waistband too tight).'],
    unchanged: false,
  },
};
const questions = (productId: string): FeedbackQuestions => ({
  orderId: 'ord_1',
  status: 'delivered',
  open: true,
  lines: [{ lineId: 'lin_1', productId, specCode: 'JN-34/42-32', areas: [], feedback }],
});

function setup(productId: string, routes: Parameters<typeof stubFetch>[0] = {}) {
  const calls = stubFetch({
    'GET /api/orders/ord_1/feedback': () => ({ status: 200, body: questions(productId) }),
    'GET /api/orders/ord_1': () => ({ status: 200, body: { id: 'ord_1', shipTo: {} } }),
    'GET /api/products/jeans': () => ({ status: 200, body: loaded('jeans').product }),
    'GET /api/orders': () => ({ status: 200, body: [] }),
    ...routes,
  });
  const history = createMemoryHistory();
  history.set({ value: '/orders/ord_1/fit' });
  render(() => (
    <MemoryRouter history={history}>
      <Route path="/orders/:id/fit" component={FitFeedbackPage} />
    </MemoryRouter>
  ));
  return calls;
}

const accepted: Feedback = {
  ...feedback,
  decision: 'accepted',
  decidedAt: '2026-12-01T10:00:00.000Z',
  resultSpec: { id: 'spec_1', version: 2 },
};
const newOrder = (id: string, createdAt: string, specId = 'spec_1') => ({
  id,
  status: 'placed',
  currency: 'USD',
  total: 12900,
  createdAt,
  lines: [
    { id: 'lin_9', productId: 'jeans', specId, specCode: 'JN-35/42-33', quantity: 1, unitPrice: 12900 },
  ],
  shipTo: {},
});

describe('fit feedback page', () => {
  it('names the product and the modules as the shop does, not by their ids', async () => {
    setup('jeans');
    const name = loaded('jeans').product.name;
    expect(
      (await screen.findByRole('heading', { level: 2, name: new RegExp(name) })).textContent,
    ).not.toMatch(/^jeans/);
    const table = screen.getByRole('table', { name: 'Before and after' });
    const rows = [...table.querySelectorAll('tbody tr')].map((r) => r.querySelector('td')!.textContent);
    const label = (id: string) => loaded('jeans').product.modules.find((m) => m.id === id)!.label;
    expect(rows).toEqual([label('size'), label('inseam')]);
    expect(rows).not.toContain('size');
  });

  it('says a product is no longer sold rather than show its id as a name', async () => {
    setup('old-jeans');
    await screen.findByRole('heading', { level: 2, name: /A product no longer sold/ });
    const table = screen.getByRole('table', { name: 'Before and after' });
    expect(table.textContent).not.toMatch(/\b(size|inseam)\b/);
    expect(table.textContent).toContain('Not in today’s catalog');
    // A product that is gone is no failure: nothing to try again.
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('moves the focus to the answer after "Send my answers" and to the result after "Accept"', async () => {
    const open = questions('jeans');
    open.lines[0]!.feedback = null;
    open.lines[0]!.areas = [
      {
        id: 'waist',
        label: 'Waistband',
        question: 'How does the waistband fit?',
        scale: 'tightness',
        answers: ['too_tight', 'right', 'too_loose'],
      },
    ];
    setup('jeans', {
      'GET /api/orders/ord_1/feedback': () => ({ status: 200, body: open }),
      'POST /api/orders/ord_1/lines/lin_1/feedback': () => ({ status: 200, body: feedback }),
      'POST /api/feedback/fb_1/accept': () => ({
        status: 200,
        body: {
          spec: { id: 'spec_1', name: 'Work jeans', version: 2, specCode: 'JN-35/42-33' },
          feedback: accepted,
        },
      }),
      'POST /api/orders': () => ({ status: 201, body: newOrder('ord_2', '2026-12-01T10:01:00.000Z') }),
    });
    const send = await screen.findByRole('button', { name: 'Send my answers' });
    send.focus();
    fireEvent.click(send);
    const suggestion = await screen.findByRole('heading', { level: 3, name: 'Our suggestion' });
    await waitFor(() => expect(document.activeElement).toBe(suggestion));

    const accept = screen.getByRole('button', { name: 'Accept the adjustment' });
    accept.focus();
    fireEvent.click(accept);
    const saved = await screen.findByText(/Saved as version 2 of “Work jeans”/);
    await waitFor(() => expect(document.activeElement).toBe(saved));

    const again = screen.getByRole('button', { name: 'Order again with the new fit' });
    again.focus();
    fireEvent.click(again);
    const ordered = await screen.findByText(/Ordered:/);
    await waitFor(() => expect(document.activeElement).toBe(ordered));
    expect(ordered.querySelector('a')?.getAttribute('href')).toBe('/orders/ord_2');
  });

  it('shows the order already placed with the new fit instead of offering it again (a reload)', async () => {
    const done = questions('jeans');
    done.lines[0]!.feedback = accepted;
    const calls = setup('jeans', {
      'GET /api/orders/ord_1/feedback': () => ({ status: 200, body: done }),
      'GET /api/orders': () => ({
        status: 200,
        body: [
          // The same spec ordered before the adjustment was accepted is not the new fit.
          newOrder('ord_old', '2026-11-01T10:00:00.000Z'),
          newOrder('ord_2', '2026-12-01T10:01:00.000Z'),
        ],
      }),
    });
    const ordered = await screen.findByText(/Ordered:/);
    expect(ordered.querySelector('a')?.getAttribute('href')).toBe('/orders/ord_2');
    expect(screen.queryByRole('button', { name: 'Order again with the new fit' })).toBeNull();
    expect(calls.some((c) => c.key === 'POST /api/orders')).toBe(false);
  });

  it('still offers to order again when only older orders of the spec exist', async () => {
    const done = questions('jeans');
    done.lines[0]!.feedback = accepted;
    setup('jeans', {
      'GET /api/orders/ord_1/feedback': () => ({ status: 200, body: done }),
      'GET /api/orders': () => ({ status: 200, body: [newOrder('ord_old', '2026-11-01T10:00:00.000Z')] }),
    });
    await screen.findByRole('button', { name: 'Order again with the new fit' });
  });
});
