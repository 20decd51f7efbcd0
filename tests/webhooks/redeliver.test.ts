import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/client';
import { Dispatcher } from '../../server/webhooks/dispatcher';
import { createTestApp, type TestApp } from '../api/setup';
import { enqueue, startReceiver, waitFor } from './helpers';

// An operator's redeliver may land while the dispatcher (its own connection, as under `npm start`)
// has that very message in flight. It used to clear the claim, so the next tick claimed the row
// again and sent the same webhook-id a second time alongside the first, and the first attempt's
// result (a success included) was dropped. Now the redelivery waits for the attempt in flight:
// no two attempts of one delivery overlap, a success stands, a failure starts the fresh round at once.

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };
const SLOW_MS = 600;

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
let t: TestApp;
let rx: Receiver;
let dispatcherDb: ReturnType<typeof openDatabase>;
let dispatcher: Dispatcher;
/** Requests of one webhook-id being answered right now, and the most there ever were at once. */
const active = new Map<string, number>();
const maxActive = new Map<string, number>();

function message(id: string) {
  return t.deps.sqlite
    .prepare('SELECT status, attempts, delivered_at, claimed_until FROM webhook_messages WHERE id = ?')
    .get(id) as {
    status: string;
    attempts: number;
    delivered_at: number | null;
    claimed_until: number | null;
  };
}
function attemptLog(id: string) {
  return t.deps.sqlite
    .prepare('SELECT attempt, status_code, outcome FROM delivery_attempts WHERE message_id = ? ORDER BY id')
    .all(id) as { attempt: number; status_code: number | null; outcome: string }[];
}

/** A receiver that answers each request after SLOW_MS with `status(n)` for the n-th request. */
function answerSlowly(status: (n: number) => number) {
  rx.setBehaviour((req, res, n) => {
    const id = String(req.headers['webhook-id']);
    const now = (active.get(id) ?? 0) + 1;
    active.set(id, now);
    maxActive.set(id, Math.max(maxActive.get(id) ?? 0, now));
    setTimeout(() => {
      active.set(id, active.get(id)! - 1);
      res.writeHead(status(n)).end();
    }, SLOW_MS);
  });
}

beforeEach(async () => {
  active.clear();
  maxActive.clear();
  t = createTestApp();
  const secret = (
    t.deps.sqlite.prepare("SELECT secret FROM partners WHERE id = 'workshop'").get() as { secret: string }
  ).secret;
  rx = await startReceiver(() => [secret]);
  t.deps.sqlite.prepare("UPDATE partners SET url = ? WHERE id = 'workshop'").run(rx.url('/workshop'));
  dispatcherDb = openDatabase(t.deps.env.DATABASE_PATH, { migrate: false });
  dispatcher = new Dispatcher({
    sqlite: dispatcherDb.sqlite,
    // Far beyond the test: any second attempt seen here is the redelivery, not a scheduled retry.
    retrySchedule: [3600, 3600],
    allowPrivate: true,
    pollMs: 5,
    timeoutMs: 5000,
  });
  dispatcher.start();
});
afterEach(async () => {
  await dispatcher.stop();
  dispatcherDb.sqlite.close();
  await rx.close();
  t.close();
});

/** Enqueues one message, waits until the receiver holds its first request, and redelivers it then. */
async function redeliverInFlight() {
  const id = enqueue(t.deps.sqlite, 'workshop');
  await waitFor(() => (active.get(id) ?? 0) === 1, 5000, 'the first attempt in flight');
  const res = await t.call('POST', `/api/admin/deliveries/${id}/redeliver`, { headers: ADMIN });
  expect(res.status).toBe(202);
  expect(res.body).toMatchObject({ id, status: 'pending' });
  return { id, res };
}

describe('redeliver while an attempt is in flight', () => {
  it('a failing attempt: the fresh round starts when it ends, never alongside it', async () => {
    answerSlowly((n) => (n === 1 ? 500 : 204));
    const { id, res } = await redeliverInFlight();
    await waitFor(() => message(id).status === 'delivered', 5000, 'the redelivery');
    expect(maxActive.get(id)).toBe(1);
    const [first, second] = rx.received;
    expect(rx.received).toHaveLength(2);
    expect(second!.id).toBe(id);
    expect(second!.verified).toBe(true);
    // The second request came after the first was answered (SLOW_MS), not during it.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(SLOW_MS - 50);
    // The redelivery is attempt 1 of a fresh round; the failed attempt stays in the log.
    expect(attemptLog(id)).toEqual([
      { attempt: 1, status_code: 500, outcome: 'retry' },
      { attempt: 1, status_code: 204, outcome: 'delivered' },
    ]);
    expect(message(id)).toMatchObject({ attempts: 1, claimed_until: null });
    // The operator is told why the fresh round has not started yet.
    expect(res.body.note).toMatch(/in flight/);
  });

  it('a succeeding attempt: its success is recorded and stands, no second request', async () => {
    answerSlowly(() => 204);
    const { id } = await redeliverInFlight();
    await waitFor(() => message(id).status === 'delivered', 5000, 'the delivery');
    // Long enough for a wrongly queued second attempt to have gone out.
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.received.map((r) => r.id)).toEqual([id]);
    expect(maxActive.get(id)).toBe(1);
    expect(attemptLog(id)).toEqual([{ attempt: 1, status_code: 204, outcome: 'delivered' }]);
    expect(message(id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      delivered_at: expect.any(Number),
      claimed_until: null,
    });
  });

  it('a redelivery of a delivery not in flight still starts a fresh round at once', async () => {
    answerSlowly(() => 204);
    const id = enqueue(t.deps.sqlite, 'workshop');
    await waitFor(() => message(id).status === 'delivered', 5000, 'the delivery');
    const res = await t.call('POST', `/api/admin/deliveries/${id}/redeliver`, { headers: ADMIN });
    expect(res.status).toBe(202);
    expect(res.body.note).toBeUndefined();
    await waitFor(() => rx.received.length === 2 && message(id).status === 'delivered', 5000, 'resend');
    expect(attemptLog(id).map((a) => a.attempt)).toEqual([1, 1]);
  });
});
