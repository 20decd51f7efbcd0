import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Spec } from '../api';
import { session } from '../stores/session';
import { specsStore } from '../stores/specs';
import { loaded, stubFetch, withRouter } from '../test-utils';
import SpecsPage from './SpecsPage';

const realFetch = globalThis.fetch;
beforeEach(() => {
  localStorage.clear();
  session.set({ id: 'usr_1', email: 'ada@example.com', name: 'Ada' });
  specsStore.reset();
});
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
  session.set(undefined);
});

it('the history names the catalog each version was made with, not today’s for the first save', async () => {
  // "Saved 1 Nov (catalog 2026.11.0)" read the spec's current catalog version next to its first
  // save: a spec saved under 2026.10.0 and updated since seemed to have been made for 2026.11.0.
  const today = loaded('jeans').product;
  const spec: Spec = {
    id: 'spec_1',
    name: 'Work jeans',
    productId: 'jeans',
    selection: { fit: 'slim' },
    specCode: 'JN-NOW',
    catalogVersion: today.catalogVersion,
    createdAt: '2026-10-01T10:00:00Z',
    updatedAt: '2026-11-20T10:00:00Z',
  };
  stubFetch({
    'GET /api/specs/spec_1/versions': () => ({
      status: 200,
      body: [
        {
          version: 1,
          name: 'Work jeans',
          selection: { fit: 'straight' },
          specCode: 'JN-THEN',
          catalogVersion: '2026.10.0',
          createdAt: '2026-10-01T10:00:00Z',
        },
      ],
    }),
    'GET /api/specs': () => ({ status: 200, body: [spec] }),
    'GET /api/products/jeans': () => ({ status: 200, body: today }),
    'GET /api/orders': () => ({ status: 200, body: [] }),
  });
  const { App } = withRouter('/specs', () => <SpecsPage />);
  render(() => <App />);
  const summary = await screen.findByText('History');
  fireEvent.click(summary);
  summary.closest('details')!.open = true;
  fireEvent(summary.closest('details')!, new Event('toggle'));
  await waitFor(() => expect(document.querySelector('.history')!.textContent).toContain('JN-THEN'));
  const items = [...document.querySelectorAll('.history li')].map((li) => li.textContent ?? '');
  const saved = items.find((t) => t.startsWith('Saved'))!;
  expect(saved).not.toContain(today.catalogVersion);
  expect(items.find((t) => t.startsWith('Last changed'))).toContain(`catalog ${today.catalogVersion}`);
  expect(items.find((t) => t.includes('JN-THEN'))).toContain('catalog 2026.10.0');
});
