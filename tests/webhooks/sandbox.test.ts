import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/client';
import { forgetSandboxUrls, startSandbox } from '../../server/sandbox/partners';
import { Dispatcher } from '../../server/webhooks/dispatcher';
import { createTestApp, JEANS, SHIP_TO, signUp, type TestApp } from '../api/setup';
import { waitFor } from './helpers';

// The whole loop on real sockets: order placed over the API → outbox → dispatcher → sandbox
// supplier and 3PL (verifying signatures) → signed status back → order delivered.
let t: TestApp;
let server: ServerType;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let dispatcher: Dispatcher;
let dispatcherDb: ReturnType<typeof openDatabase>;

beforeAll(async () => {
  t = createTestApp({ WEBHOOK_ALLOW_PRIVATE: '0' });
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
  sandbox = await startSandbox({ sqlite: t.deps.sqlite, serverUrl: `http://127.0.0.1:${port}`, stepMs: 30 });
  dispatcherDb = openDatabase(join(t.dir, 'test.db'), { migrate: false, synchronous: 'NORMAL' });
  // Private addresses are refused, yet the sandbox's own loopback hosts are exempt.
  dispatcher = new Dispatcher({
    sqlite: dispatcherDb.sqlite,
    retrySchedule: [0.2, 0.5],
    allowPrivate: false,
    exemptHosts: sandbox.hosts,
    pollMs: 5,
  });
  dispatcher.start();
});
afterAll(async () => {
  await dispatcher.stop();
  await sandbox.close();
  await new Promise<void>((r) => server.close(() => r()));
  dispatcherDb.sqlite.close();
  t.close();
});

describe('sandbox partners', () => {
  it('adopt every partner without a URL', () => {
    expect(sandbox.adopted.sort()).toEqual([
      '3pl-eu',
      '3pl-na',
      '3pl-world',
      'selvedge-mill',
      'shirtmaker',
      'workshop',
    ]);
  });

  it('walk an order to delivered, with tracking, every delivery verified and logged', async () => {
    const { cookie } = await signUp(t);
    const placed = await t.call('POST', '/api/orders', {
      cookie,
      headers: { 'idempotency-key': 'sandbox-walk-1' },
      body: {
        lines: [
          { productId: 'jeans', selection: JEANS, quantity: 1 },
          { productId: 'jeans', selection: { ...JEANS, fabric: 'selvedge-14' }, quantity: 2 },
        ],
        shipTo: SHIP_TO,
      },
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.id as string;
    const status = () =>
      (t.deps.sqlite.prepare('SELECT status FROM orders WHERE id = ?').get(orderId) as { status: string })
        .status;
    await waitFor(() => status() === 'delivered', 15_000, 'order delivered');
    const order = await t.call('GET', `/api/orders/${orderId}`, { cookie });
    expect(order.body.status).toBe('delivered');
    const statuses = (order.body.events as { status: string }[]).map((e) => e.status);
    expect(statuses[0]).toBe('placed');
    expect(statuses).toContain('in_production');
    expect(statuses).toContain('produced');
    expect(statuses.at(-2)).toBe('shipped');
    expect(statuses.at(-1)).toBe('delivered');
    expect(order.body.shipments).toEqual([
      expect.objectContaining({ carrier: 'Sandbox Parcel', trackingNumber: expect.stringMatching(/^SBX/) }),
    ]);
    const deliveries = await t.call('GET', `/api/admin/deliveries?orderId=${orderId}`, {
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
    });
    expect(deliveries.body.map((d: { eventType: string }) => d.eventType).sort()).toEqual([
      'fulfillment.requested',
      'production.requested',
      'production.requested',
    ]);
    expect(deliveries.body.every((d: { status: string }) => d.status === 'delivered')).toBe(true);
    const inbound = t.deps.sqlite
      .prepare('SELECT event_type, outcome FROM inbound_events WHERE order_id = ?')
      .all(orderId);
    expect(inbound).toHaveLength(6);
  });

  it('switched off, its URLs are forgotten so messages wait for a real partner', () => {
    t.deps.sqlite
      .prepare('UPDATE partners SET url = ? WHERE id = ?')
      .run('https://partner.example/hook', '3pl-na');
    expect(forgetSandboxUrls(t.deps.sqlite)).toBe(5);
    const urls = t.deps.sqlite.prepare('SELECT id, url FROM partners ORDER BY id').all();
    expect(urls).toContainEqual({ id: '3pl-na', url: 'https://partner.example/hook' });
    expect(urls.filter((u) => (u as { url: string | null }).url === null)).toHaveLength(5);
  });
});
