import { cleanup, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../api';
import { Timeline } from './Timeline';

afterEach(cleanup);

const base: Order = {
  id: 'ord_1',
  status: 'placed',
  currency: 'USD',
  total: 12900,
  createdAt: '2026-11-23T10:00:00Z',
  lines: [],
  shipTo: { name: 'Ada', line1: '1 Loop St', city: 'Lyon', postalCode: '69001', country: 'FR' },
  threePlId: '3pl-eu',
  events: [{ status: 'placed', at: '2026-11-23T10:00:00Z' }],
  shipments: [],
};

describe('order timeline', () => {
  it('shows shipped with the carrier and a tracking link', () => {
    render(() => (
      <Timeline
        order={{
          ...base,
          status: 'shipped',
          events: [
            ...base.events,
            { status: 'in_production', at: '2026-11-24T10:00:00Z' },
            { status: 'produced', at: '2026-11-25T10:00:00Z' },
            { status: 'shipped', at: '2026-11-26T10:00:00Z' },
          ],
          shipments: [
            { carrier: 'DHL', trackingNumber: 'JD0001', trackingUrl: 'https://track.example/JD0001' },
          ],
        }}
      />
    ));
    const link = screen.getByRole('link', { name: 'JD0001' });
    expect(link.getAttribute('href')).toBe('https://track.example/JD0001');
    expect(document.querySelector('[data-status="shipped"]')!.className).toContain('current');
    expect(document.querySelector('[data-status="delivered"]')!.className).not.toContain('done');
  });

  it('shows a rejection with its reason and stops there', () => {
    render(() => (
      <Timeline
        order={{
          ...base,
          status: 'rejected',
          events: [
            ...base.events,
            { status: 'rejected', at: '2026-11-24T10:00:00Z', detail: { reason: 'Fabric out of stock' } },
          ],
        }}
      />
    ));
    expect(screen.getByText('Reason: Fabric out of stock')).toBeTruthy();
    expect(document.querySelector('[data-status="delivered"]')).toBeNull();
  });
});
