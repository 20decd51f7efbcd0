import type Database from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../server/env';
import { rotateSecret, updatePartner } from '../../server/webhooks/admin';
import { Dispatcher, type DispatcherOptions } from '../../server/webhooks/dispatcher';
import { newWebhookSecret } from '../../server/webhooks/secrets';
import { enqueue, startReceiver, tempDatabase, waitFor } from './helpers';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let t: ReturnType<typeof tempDatabase>;
let rx: Receiver;
const dispatchers: Dispatcher[] = [];

function secretOf(sqlite: Database.Database, id: string): string {
  return (sqlite.prepare('SELECT secret FROM partners WHERE id = ?').get(id) as { secret: string }).secret;
}
function setUrl(id: string, url: string) {
  t.sqlite.prepare('UPDATE partners SET url = ? WHERE id = ?').run(url, id);
}
function message(id: string) {
  return t.sqlite.prepare('SELECT * FROM webhook_messages WHERE id = ?').get(id) as {
    status: string;
    attempts: number;
    next_attempt_at: number;
    last_status_code: number | null;
    last_error: string | null;
    claimed_until: number | null;
  };
}
function attempts(id: string) {
  return t.sqlite.prepare('SELECT * FROM delivery_attempts WHERE message_id = ? ORDER BY id').all(id) as {
    attempt: number;
    status_code: number | null;
    error: string | null;
    outcome: string;
    duration_ms: number;
    response_snippet: string | null;
  }[];
}
function dispatcher(o: Partial<DispatcherOptions> = {}) {
  const d = new Dispatcher({
    sqlite: t.sqlite,
    retrySchedule: [0.1, 0.1],
    allowPrivate: true,
    pollMs: 5,
    timeoutMs: 2000,
    ...o,
  });
  dispatchers.push(d);
  d.start();
  return d;
}

beforeEach(async () => {
  t = tempDatabase();
  // Each path on the receiver is one partner; verify with that partner's current secret(s).
  rx = await startReceiver((path) => {
    const id = path.split('/')[1] ?? '';
    return [secretOf(t.sqlite, id)];
  });
  for (const p of ['workshop', 'selvedge-mill', '3pl-eu']) setUrl(p, rx.url(`/${p}`));
});
afterEach(async () => {
  for (const d of dispatchers.splice(0)) await d.stop();
  await rx.close();
  t.cleanup();
});

describe('dispatcher: delivery', () => {
  it('delivers every message, signed (verified by the reference library), body byte for byte', async () => {
    const ids = Array.from({ length: 30 }, (_, i) =>
      // Some bodies outside ASCII: the dispatcher signs and sends the stored bytes.
      enqueue(
        t.sqlite,
        i % 2 ? 'workshop' : '3pl-eu',
        i % 3 ? {} : { data: { orderId: `ord_${i}`, name: 'Zoë 仕立て' } },
      ),
    );
    dispatcher();
    await waitFor(() => ids.every((id) => message(id).status === 'delivered'), 10_000, 'deliveries');
    expect(rx.received).toHaveLength(30);
    expect(rx.received.every((r) => r.verified)).toBe(true);
    for (const r of rx.received) {
      const row = t.sqlite.prepare('SELECT payload FROM webhook_payloads WHERE message_id = ?').get(r.id) as {
        payload: string;
      };
      expect(r.body).toBe(row.payload);
      expect(Math.abs(Number(r.timestamp) - Date.now() / 1000)).toBeLessThan(5);
    }
    const a = attempts(ids[0]!);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ attempt: 1, status_code: 204, outcome: 'delivered', error: null });
    expect(message(ids[0]!)).toMatchObject({ attempts: 1, last_status_code: 204, claimed_until: null });
  });

  it('does not send to a disabled partner or one without URL, and sends once it is enabled', async () => {
    t.sqlite.prepare('UPDATE partners SET enabled = 0 WHERE id = ?').run('workshop');
    const id = enqueue(t.sqlite, 'workshop');
    const noUrl = enqueue(t.sqlite, 'shirtmaker');
    dispatcher();
    await new Promise((r) => setTimeout(r, 150));
    expect(rx.received).toHaveLength(0);
    expect(message(id).status).toBe('pending');
    t.sqlite.prepare('UPDATE partners SET enabled = 1 WHERE id = ?').run('workshop');
    await waitFor(() => message(id).status === 'delivered');
    expect(message(noUrl).status).toBe('pending');
  });

  it('signs with the new and the old secret during rotation; a partner holding only the old one verifies', async () => {
    const old = secretOf(t.sqlite, 'workshop');
    const fresh = newWebhookSecret();
    t.sqlite
      .prepare(
        'UPDATE partners SET secret = ?, previous_secret = ?, previous_secret_expires_at = ? WHERE id = ?',
      )
      .run(fresh, old, Date.now() + 3600_000, 'workshop');
    const id = enqueue(t.sqlite, 'workshop');
    dispatcher();
    await waitFor(() => message(id).status === 'delivered');
    const r = rx.received[0]!;
    expect(r.signature.split(' ')).toHaveLength(2);
    const headers = {
      'webhook-id': r.id,
      'webhook-timestamp': r.timestamp,
      'webhook-signature': r.signature,
    };
    expect(() => new Webhook(old).verify(r.body, headers)).not.toThrow();
    expect(() => new Webhook(fresh).verify(r.body, headers)).not.toThrow();

    // After the grace period only the new secret signs.
    t.sqlite
      .prepare('UPDATE partners SET previous_secret_expires_at = ? WHERE id = ?')
      .run(Date.now() - 1, 'workshop');
    await new Promise((r) => setTimeout(r, 300)); // the dispatcher re-reads partners every 200 ms
    const id2 = enqueue(t.sqlite, 'workshop');
    await waitFor(() => message(id2).status === 'delivered');
    const r2 = rx.received[1]!;
    expect(r2.signature.split(' ')).toHaveLength(1);
    const h2 = { 'webhook-id': r2.id, 'webhook-timestamp': r2.timestamp, 'webhook-signature': r2.signature };
    expect(() => new Webhook(old).verify(r2.body, h2)).toThrow();
  });
});

describe('dispatcher: operator changes take effect for the next message', () => {
  // The periodic re-read of partners is pushed out of reach: only noticing the change counts.
  const slowRefresh = { partnerRefreshMs: 60_000 };

  it('a message queued after rotate-secret returned is signed with the new secret', async () => {
    const first = enqueue(t.sqlite, 'workshop');
    dispatcher(slowRefresh);
    await waitFor(() => message(first).status === 'delivered');
    const { secret } = rotateSecret(
      { sqlite: t.sqlite, now: () => new Date(), env: loadEnv({ PARTNERS_SANDBOX: '0' }) },
      'workshop',
    );
    const id = enqueue(t.sqlite, 'workshop');
    await waitFor(() => message(id).status === 'delivered');
    const r = rx.received.find((x) => x.id === id)!;
    const headers = {
      'webhook-id': r.id,
      'webhook-timestamp': r.timestamp,
      'webhook-signature': r.signature,
    };
    // A partner that was handed only the new secret verifies it.
    expect(() => new Webhook(secret).verify(r.body, headers)).not.toThrow();
    expect(r.signature.split(' ')).toHaveLength(2);
  });

  it('a message queued after a URL change or a disable goes to the new URL, or waits', async () => {
    const first = enqueue(t.sqlite, 'workshop');
    dispatcher(slowRefresh);
    await waitFor(() => message(first).status === 'delivered');
    const deps = { sqlite: t.sqlite, now: () => new Date(), env: loadEnv({ WEBHOOK_ALLOW_PRIVATE: '1' }) };
    await updatePartner(deps, 'workshop', { url: rx.url('/workshop/moved') });
    const moved = enqueue(t.sqlite, 'workshop');
    await waitFor(() => message(moved).status === 'delivered');
    expect(rx.received.find((x) => x.id === moved)?.path).toBe('/workshop/moved');
    await updatePartner(deps, 'workshop', { enabled: false });
    const held = enqueue(t.sqlite, 'workshop');
    await new Promise((r) => setTimeout(r, 150));
    expect(rx.received.find((x) => x.id === held)).toBeUndefined();
    expect(message(held).status).toBe('pending');
  });
});

describe('dispatcher: failures and retries (shortened schedule)', () => {
  it('retries a 500 with the same webhook-id until a 2xx', async () => {
    rx.setBehaviour((_req, res, n) => res.writeHead(n <= 2 ? 500 : 200).end(n <= 2 ? 'boom' : 'ok'));
    const id = enqueue(t.sqlite, 'workshop');
    dispatcher();
    await waitFor(() => message(id).status === 'delivered');
    expect(rx.received.map((r) => r.id)).toEqual([id, id, id]);
    expect(rx.received.every((r) => r.verified)).toBe(true);
    const a = attempts(id);
    expect(a.map((x) => [x.status_code, x.outcome])).toEqual([
      [500, 'retry'],
      [500, 'retry'],
      [200, 'delivered'],
    ]);
    expect(a[0]).toMatchObject({ error: 'HTTP 500', response_snippet: 'boom' });
  });

  it('logs the first 512 bytes of a response and stops reading an endless one', async () => {
    rx.setBehaviour((_req, res, n) => {
      if (n === 1) {
        // 500 with a body that never ends: the attempt is logged once 64 KB were read.
        res.writeHead(500, { 'content-type': 'text/plain' });
        const chunk = 'e'.repeat(16 * 1024);
        const more = () => {
          while (res.write(chunk)) {}
          res.once('drain', more);
        };
        more();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('é'.repeat(600));
    });
    const id = enqueue(t.sqlite, 'workshop');
    dispatcher();
    await waitFor(() => message(id).status === 'delivered');
    const [first, second] = attempts(id);
    expect(first).toMatchObject({ status_code: 500, outcome: 'retry', error: 'HTTP 500' });
    expect(first!.response_snippet).toBe('e'.repeat(512));
    expect(second).toMatchObject({ status_code: 200, outcome: 'delivered', error: null });
    expect(Buffer.byteLength(second!.response_snippet!)).toBeLessThanOrEqual(514);
    expect(second!.response_snippet!.startsWith('é'.repeat(255))).toBe(true);
  });

  it('marks a delivery failed after the last attempt', async () => {
    rx.setBehaviour((_req, res) => res.writeHead(503).end());
    const id = enqueue(t.sqlite, 'workshop');
    dispatcher();
    await waitFor(() => message(id).status === 'failed');
    expect(message(id)).toMatchObject({ attempts: 3, last_status_code: 503 });
    expect(attempts(id).map((x) => x.outcome)).toEqual(['retry', 'retry', 'failed']);
  });

  it('treats a timeout as a failed attempt', async () => {
    rx.setBehaviour((_req, res, n) => {
      if (n === 1) return; // never answers
      res.writeHead(204).end();
    });
    const id = enqueue(t.sqlite, 'workshop');
    dispatcher({ timeoutMs: 300 });
    await waitFor(() => message(id).status === 'delivered');
    const a = attempts(id);
    expect(a[0]).toMatchObject({ status_code: null, outcome: 'retry' });
    expect(a[0]!.error).toMatch(/timeout/);
    expect(a[0]!.duration_ms).toBeGreaterThanOrEqual(250);
  });

  it('times out a response whose body stalls after a 200 (the timeout covers the whole exchange)', async () => {
    rx.setBehaviour((_req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
        res.write('partial');
        return; // the rest of the body never comes
      }
      res.writeHead(204).end();
    });
    const id = enqueue(t.sqlite, 'workshop');
    dispatcher({ timeoutMs: 300 });
    await waitFor(() => message(id).status === 'delivered');
    const a = attempts(id);
    expect(a[0]).toMatchObject({ status_code: null, outcome: 'retry' });
    expect(a[0]!.error).toMatch(/timeout/);
    expect(a[0]!.duration_ms).toBeGreaterThanOrEqual(250);
  });

  it('treats a connection reset as a failed attempt', async () => {
    rx.setBehaviour((req, res, n) => {
      if (n === 1) return req.socket.destroy();
      res.writeHead(204).end();
    });
    const id = enqueue(t.sqlite, 'workshop');
    dispatcher();
    await waitFor(() => message(id).status === 'delivered');
    const a = attempts(id);
    expect(a[0]!.status_code).toBeNull();
    expect(a[0]!.error).toMatch(/socket|ECONNRESET|closed/i);
  });

  it('never follows a redirect: a 3xx is a failed attempt', async () => {
    rx.setBehaviour((_req, res) => res.writeHead(302, { location: rx.url('/elsewhere') }).end());
    const id = enqueue(t.sqlite, 'workshop');
    dispatcher();
    await waitFor(() => message(id).status === 'failed');
    expect(rx.received.every((r) => r.path === '/workshop')).toBe(true);
    expect(attempts(id)[0]).toMatchObject({ status_code: 302 });
    expect(attempts(id)[0]!.error).toMatch(/redirects are not followed/);
  });

  it('410 Gone disables the partner and keeps the message for when it comes back', async () => {
    rx.setBehaviour((req, res) => res.writeHead(req.url === '/workshop' ? 410 : 204).end());
    const id = enqueue(t.sqlite, 'workshop');
    const other = enqueue(t.sqlite, '3pl-eu');
    dispatcher();
    await waitFor(() => attempts(id).length === 1 && message(other).status === 'delivered');
    await new Promise((r) => setTimeout(r, 100));
    const p = t.sqlite
      .prepare('SELECT enabled, disabled_reason FROM partners WHERE id = ?')
      .get('workshop') as {
      enabled: number;
      disabled_reason: string;
    };
    expect(p.enabled).toBe(0);
    expect(p.disabled_reason).toMatch(/410/);
    expect(message(id).status).toBe('pending');
    expect(attempts(id)).toHaveLength(1);
    expect(attempts(id)[0]!.outcome).toBe('disabled');
  });

  it('honours Retry-After', async () => {
    rx.setBehaviour((_req, res, n) =>
      n === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.writeHead(204).end(),
    );
    const id = enqueue(t.sqlite, 'workshop');
    dispatcher({ retrySchedule: [30, 30] });
    await waitFor(() => message(id).status === 'delivered', 5000);
    const [first, second] = rx.received;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(second!.at - first!.at).toBeLessThan(2500);
  });
});

describe('dispatcher: isolation and leases', () => {
  it('a partner that hangs does not hold up the others', async () => {
    // The hanging partner answers only once the test has looked. It used to answer after 3 s,
    // which made this a race between those answers and the 40 healthy deliveries on a busy machine.
    const hanging: Array<() => void> = [];
    rx.setBehaviour((req, res) => {
      if (req.url === '/workshop') hanging.push(() => res.writeHead(204).end());
      else res.writeHead(204).end();
    });
    const slow = Array.from({ length: 40 }, () => enqueue(t.sqlite, 'workshop'));
    const fast = Array.from({ length: 40 }, () => enqueue(t.sqlite, '3pl-eu'));
    dispatcher({ partnerConcurrency: 4, timeoutMs: 30_000 });
    await waitFor(() => fast.every((id) => message(id).status === 'delivered'), 10_000);
    // Every healthy delivery finished while the first slow requests were still hanging.
    expect(slow.filter((id) => message(id).status === 'delivered')).toHaveLength(0);
    expect(rx.received.filter((r) => r.path === '/workshop')).toHaveLength(4);
    // Let the partner recover, so stopping the dispatcher does not wait for the 30 s timeout.
    rx.setBehaviour((_req, res) => res.writeHead(204).end());
    for (const answer of hanging.splice(0)) answer();
  });

  it('two dispatchers on one database deliver each message once', async () => {
    const ids = Array.from({ length: 200 }, (_, i) =>
      enqueue(t.sqlite, i % 2 ? 'workshop' : 'selvedge-mill'),
    );
    const { openDatabase } = await import('../../server/db/client');
    const second = openDatabase(t.path, { migrate: false });
    dispatcher({ timeoutMs: 10_000 });
    dispatcher({ sqlite: second.sqlite, timeoutMs: 10_000 });
    await waitFor(() => ids.every((id) => message(id).status === 'delivered'), 10_000);
    for (const d of dispatchers.splice(0)) await d.stop();
    second.sqlite.close();
    // Every request the receiver saw was a logged attempt of a claimed message, and no message
    // was sent by both (a retry after a timeout under heavy load would also be logged).
    const logged = t.sqlite.prepare('SELECT count(*) AS n FROM delivery_attempts').get() as { n: number };
    expect(rx.received).toHaveLength(logged.n);
    expect(new Set(rx.received.map((r) => r.id)).size).toBe(200);
    expect(logged.n).toBe(200);
  });

  it('re-sends a message whose claim lapsed (a dispatcher died mid-send)', async () => {
    const id = enqueue(t.sqlite, 'workshop');
    // A dead dispatcher's claim, expired.
    t.sqlite.prepare('UPDATE webhook_messages SET claimed_until = ? WHERE id = ?').run(Date.now() - 1, id);
    const live = enqueue(t.sqlite, 'workshop');
    t.sqlite
      .prepare('UPDATE webhook_messages SET claimed_until = ? WHERE id = ?')
      .run(Date.now() + 60_000, live);
    dispatcher();
    await waitFor(() => message(id).status === 'delivered');
    expect(message(live).status).toBe('pending');
  });
});
