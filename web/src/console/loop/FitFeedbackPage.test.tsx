import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { cleanup, render, screen } from '@solidjs/testing-library';
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

function setup(productId: string) {
  stubFetch({
    'GET /api/orders/ord_1/feedback': () => ({ status: 200, body: questions(productId) }),
    'GET /api/orders/ord_1': () => ({ status: 200, body: { id: 'ord_1', shipTo: {} } }),
    'GET /api/products/jeans': () => ({ status: 200, body: loaded('jeans').product }),
  });
  const history = createMemoryHistory();
  history.set({ value: '/orders/ord_1/fit' });
  render(() => (
    <MemoryRouter history={history}>
      <Route path="/orders/:id/fit" component={FitFeedbackPage} />
    </MemoryRouter>
  ));
}

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
});
