import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redeliver } from '../../server/webhooks/admin';
import { type AttemptRecord, SqliteDeliveryStore } from '../../server/webhooks/store';
import { enqueue, tempDatabase } from './helpers';

// The store writes a tick's attempt log rows and delivered marks as multi-row statements
// (docs/decisions/027): these check that every row still lands, with every field, and that a
// result is still written only while the claim is ours.

let t: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  t = tempDatabase();
  t.sqlite.prepare('UPDATE partners SET url = ? WHERE id = ?').run('http://127.0.0.1:9/hook', 'workshop');
});
afterEach(() => t.cleanup());

const now = () => Date.now() + 1;

function claimAll(store: SqliteDeliveryStore, at: number, lease: number, limit = 1000) {
  return store.tick({
    now: at,
    lease,
    results: [],
    claims: [{ partnerId: 'workshop', limit }],
    loadPartners: false,
  }).claimed[0]!;
}

function result(id: string, lease: number, over: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    messageId: id,
    partnerId: 'workshop',
    attempt: 1,
    lease,
    url: 'http://127.0.0.1:9/hook',
    startedAt: 1_000,
    durationMs: 7,
    statusCode: 204,
    error: null,
    responseSnippet: null,
    outcome: 'delivered',
    nextAttemptAt: 0,
    ...over,
  };
}

describe('delivery store', () => {
  it('records every attempt of a large tick and marks delivered only the claims still held', async () => {
    const ids = Array.from({ length: 70 }, () => enqueue(t.sqlite, 'workshop', { at: Date.now() - 1000 }));
    const store = new SqliteDeliveryStore(t.sqlite);
    const at = now();
    const lease = at + 60_000;
    expect(claimAll(store, at, lease)).toHaveLength(70);
    // Its claim is gone meanwhile (it lapsed and an operator redelivered it): our result must not land.
    const taken = ids[33]!;
    t.sqlite.prepare('UPDATE webhook_messages SET claimed_until = NULL WHERE id = ?').run(taken);
    const results = ids.map((id, i) =>
      result(id, lease, { durationMs: i, responseSnippet: i === 5 ? 'ok' : null }),
    );
    store.tick({ now: at + 5, lease, results, claims: [], loadPartners: false });

    const rows = t.sqlite.prepare('SELECT * FROM delivery_attempts ORDER BY duration_ms').all() as Record<
      string,
      unknown
    >[];
    expect(rows).toHaveLength(70);
    expect(rows.map((r) => r.message_id)).toEqual(ids);
    expect(rows[5]).toMatchObject({
      partner_id: 'workshop',
      attempt: 1,
      url: 'http://127.0.0.1:9/hook',
      started_at: 1_000,
      duration_ms: 5,
      status_code: 204,
      error: null,
      response_snippet: 'ok',
      outcome: 'delivered',
    });
    const state = (id: string) =>
      t.sqlite
        .prepare(
          'SELECT status, attempts, last_status_code, delivered_at, claimed_until FROM webhook_messages WHERE id = ?',
        )
        .get(id);
    for (const id of ids.filter((x) => x !== taken))
      expect(state(id)).toEqual({
        status: 'delivered',
        attempts: 1,
        last_status_code: 204,
        delivered_at: at + 5,
        claimed_until: null,
      });
    expect(state(taken)).toMatchObject({ status: 'pending', attempts: 0, delivered_at: null });
  });

  it('records retries, failures and a 410 beside deliveries in one tick', async () => {
    const [a, b, c, d] = Array.from({ length: 4 }, () =>
      enqueue(t.sqlite, 'workshop', { at: Date.now() - 1000 }),
    );
    const store = new SqliteDeliveryStore(t.sqlite);
    const at = now();
    const lease = at + 60_000;
    claimAll(store, at, lease);
    store.tick({
      now: at + 5,
      lease,
      results: [
        result(a!, lease),
        result(b!, lease, {
          statusCode: 500,
          error: 'HTTP 500',
          responseSnippet: 'boom',
          outcome: 'retry',
          nextAttemptAt: at + 5_000,
        }),
        result(c!, lease, { statusCode: null, error: 'timeout', outcome: 'failed', attempt: 3 }),
        result(d!, lease, { statusCode: 410, error: 'HTTP 410', outcome: 'disabled' }),
      ],
      claims: [],
      loadPartners: false,
    });
    const state = (id: string) =>
      t.sqlite
        .prepare(
          'SELECT status, attempts, next_attempt_at, last_status_code, last_error, claimed_until FROM webhook_messages WHERE id = ?',
        )
        .get(id);
    expect(state(a!)).toMatchObject({ status: 'delivered', claimed_until: null });
    expect(state(b!)).toEqual({
      status: 'pending',
      attempts: 1,
      next_attempt_at: at + 5_000,
      last_status_code: 500,
      last_error: 'HTTP 500',
      claimed_until: null,
    });
    expect(state(c!)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'timeout' });
    expect(state(d!)).toMatchObject({ status: 'pending', last_status_code: 410 });
    expect(t.sqlite.prepare('SELECT enabled FROM partners WHERE id = ?').get('workshop')).toEqual({
      enabled: 0,
    });
    const outcomes = t.sqlite
      .prepare('SELECT message_id, outcome, response_snippet FROM delivery_attempts')
      .all();
    expect(outcomes).toHaveLength(4);
    expect(outcomes).toContainEqual({ message_id: b, outcome: 'retry', response_snippet: 'boom' });
  });

  it('a redelivery asked for during an attempt: a success stands, anything else or an unsent claim starts a fresh round', async () => {
    const [ok, retried, gaveUp, gone, unsent] = Array.from({ length: 5 }, () =>
      enqueue(t.sqlite, 'workshop', { at: Date.now() - 1000 }),
    );
    t.sqlite.prepare('UPDATE webhook_messages SET attempts = 2').run();
    const store = new SqliteDeliveryStore(t.sqlite);
    const at = now();
    const lease = at + 60_000;
    claimAll(store, at, lease);
    const deps = { sqlite: t.sqlite, now: () => new Date(at + 1) };
    for (const id of [ok!, retried!, gaveUp!, gone!, unsent!]) {
      expect(redeliver(deps, id).note).toMatch(/in flight/);
      // The claim is left to the dispatcher holding it: nobody else can claim the row meanwhile.
      expect(t.sqlite.prepare('SELECT claimed_until FROM webhook_messages WHERE id = ?').get(id)).toEqual({
        claimed_until: lease,
      });
    }
    expect(claimAll(store, at + 2, at + 70_000)).toEqual([]);
    store.release([{ id: unsent!, lease }]);
    store.tick({
      now: at + 5,
      lease,
      results: [
        result(ok!, lease, { attempt: 3 }),
        result(retried!, lease, { attempt: 3, statusCode: 500, outcome: 'retry', nextAttemptAt: at + 5_000 }),
        result(gaveUp!, lease, { attempt: 3, statusCode: 503, outcome: 'failed' }),
        result(gone!, lease, { attempt: 3, statusCode: 410, outcome: 'disabled' }),
      ],
      claims: [],
      loadPartners: false,
    });
    const state = (id: string) =>
      t.sqlite
        .prepare(
          'SELECT status, attempts, next_attempt_at, claimed_until, redeliver_requested_at FROM webhook_messages WHERE id = ?',
        )
        .get(id);
    expect(state(ok!)).toMatchObject({ status: 'delivered', attempts: 3, redeliver_requested_at: null });
    const fresh = { status: 'pending', attempts: 0, claimed_until: null, redeliver_requested_at: null };
    for (const id of [retried!, gaveUp!, gone!])
      expect(state(id)).toEqual({ ...fresh, next_attempt_at: at + 5 });
    expect(state(unsent!)).toMatchObject(fresh);
  });

  it('claims hand back each body as its exact bytes, and leave a message without a body claimed', async () => {
    const name = 'Zoë Ångström 仕立て';
    const id = enqueue(t.sqlite, 'workshop', { at: Date.now() - 1000, data: { orderId: 'ord_1', name } });
    const orphan = enqueue(t.sqlite, 'workshop', { at: Date.now() - 1000 });
    t.sqlite.pragma('foreign_keys = OFF');
    t.sqlite.prepare('DELETE FROM webhook_payloads WHERE message_id = ?').run(orphan);
    const store = new SqliteDeliveryStore(t.sqlite);
    const claimed = claimAll(store, now(), now() + 60_000);
    expect(claimed.map((m) => m.id)).toEqual([id]);
    const stored = (
      t.sqlite.prepare('SELECT payload FROM webhook_payloads WHERE message_id = ?').get(id) as {
        payload: string;
      }
    ).payload;
    expect(Buffer.isBuffer(claimed[0]!.payload)).toBe(true);
    expect(claimed[0]!.payload.equals(Buffer.from(stored, 'utf8'))).toBe(true);
    expect(JSON.parse(claimed[0]!.payload.toString('utf8')).data.name).toBe(name);
    expect(
      t.sqlite.prepare('SELECT claimed_until FROM webhook_messages WHERE id = ?').get(orphan),
    ).not.toEqual({ claimed_until: null });
  });

  it('holds an order.cancelled back while the partner has an earlier message of that order undelivered', async () => {
    // A supplier that failed the first production.requested got the order's cancel first (due at
    // once) and the request 5 s later, at its retry: it would start making a cancelled order.
    const store = new SqliteDeliveryStore(t.sqlite);
    const at = now();
    const lease = at + 60_000;
    const orderId = 'ord_held_back';
    const request = enqueue(t.sqlite, 'workshop', { orderId, at: at - 1000 });
    const [first] = claimAll(store, at, lease);
    expect(first!.id).toBe(request);
    // The attempt fails; its retry is due in 5 s. The customer cancels meanwhile.
    store.tick({
      now: at + 1,
      lease,
      results: [result(request, lease, { statusCode: 500, outcome: 'retry', nextAttemptAt: at + 5_000 })],
      claims: [],
      loadPartners: false,
    });
    const cancel = enqueue(t.sqlite, 'workshop', { orderId, type: 'order.cancelled', at: at + 2 });
    // Another order's messages to the same partner are not held up.
    const other = enqueue(t.sqlite, 'workshop', { type: 'order.cancelled', at: at + 2 });
    expect(claimAll(store, at + 10, lease).map((m) => m.id)).toEqual([other]);
    // At the retry: the request goes out, the cancel still waits for its outcome (also in flight).
    expect(claimAll(store, at + 5_000, lease + 5_000).map((m) => m.id)).toEqual([request]);
    expect(claimAll(store, at + 5_001, lease + 5_000)).toEqual([]);
    store.tick({
      now: at + 5_010,
      lease: lease + 5_000,
      results: [result(request, lease + 5_000, { attempt: 2 })],
      claims: [],
      loadPartners: false,
    });
    expect(claimAll(store, at + 5_020, lease + 10_000).map((m) => m.id)).toEqual([cancel]);
  });

  it('sends the cancel once the earlier message has failed for good', async () => {
    const store = new SqliteDeliveryStore(t.sqlite);
    const at = now();
    const lease = at + 60_000;
    const orderId = 'ord_gave_up';
    const request = enqueue(t.sqlite, 'workshop', { orderId, at: at - 1000 });
    claimAll(store, at, lease);
    store.tick({
      now: at + 1,
      lease,
      results: [result(request, lease, { statusCode: 500, outcome: 'failed' })],
      claims: [],
      loadPartners: false,
    });
    const cancel = enqueue(t.sqlite, 'workshop', { orderId, type: 'order.cancelled', at: at + 2 });
    expect(claimAll(store, at + 10, lease).map((m) => m.id)).toEqual([cancel]);
  });
});
