import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { plainJeans } from '../catalog/engine/test-fixtures';
import { poolRequest, startReceiver } from './webhooks/helpers';

// Nothing lost across a crash: a burst of orders at concurrency 32 against the real server (a
// child process), `kill -9` mid-burst, restart on the same database, then check the promises.
// `npm test` runs a reduced burst; CRASH_ORDERS=1000 (or more) runs the full size.
const ORDERS = Number(process.env.CRASH_ORDERS ?? 240);
const CONCURRENCY = 32;
const KILL_AFTER = Math.floor(ORDERS * 0.4);
const ADMIN_TOKEN = 'crash-test-admin-token-0123456789';
const ROOT = join(import.meta.dirname, '..');

const JEANS = plainJeans;
const COUNTRIES = ['GB', 'US', 'JP', 'DE'];

function orderBody(i: number) {
  const lines: unknown[] = [{ productId: 'jeans', selection: JEANS, quantity: 1 + (i % 3) }];
  if (i % 2) lines.push({ productId: 'jeans', selection: { ...JEANS, fabric: 'selvedge-14' }, quantity: 1 });
  return JSON.stringify({
    lines,
    shipTo: {
      name: `Crash ${i}`,
      line1: '1 Test St',
      city: 'Town',
      postalCode: '12345',
      country: COUNTRIES[i % 4],
    },
  });
}

const dir = mkdtempSync(join(tmpdir(), 'tailorloop-crash-'));
const dbPath = join(dir, 'crash.db');
const children: ChildProcess[] = [];

async function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: dbPath,
      ADMIN_TOKEN,
      PARTNERS_SANDBOX: '0',
      SITE_BUILD: '0',
      SCRYPT_LOG_N: '12',
      WEBHOOK_ALLOW_PRIVATE: '1',
      WEBHOOK_RETRY_SCHEDULE: '0.2,0.5,1,1,1,1',
      WEBHOOK_TIMEOUT_MS: '1000',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (m) return { child, base: m[1]! };
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    if (Date.now() > deadline) throw new Error(`server did not listen in 30 s: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function kill9(child: ChildProcess) {
  try {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

afterAll(async () => {
  for (const c of children) {
    if (c.pid && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      try {
        process.kill(-c.pid, 'SIGTERM');
      } catch {
        continue;
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (c.exitCode === null) kill9(c);
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it(`burst of ${ORDERS} orders, kill -9 mid-burst, restart: nothing lost, nothing doubled`, async () => {
    let db: Database.Database | undefined;
    const secretFor = (path: string) => {
      db ??= new Database(dbPath, { readonly: true, fileMustExist: true });
      const id = path.split('/')[1] ?? '';
      const row = db.prepare('SELECT secret FROM partners WHERE id = ?').get(id) as
        | { secret: string }
        | undefined;
      return row ? [row.secret] : [];
    };
    const rx = await startReceiver(secretFor);
    try {
      // First life: set every partner's URL to the receiver, sign up, then the burst.
      let { child, base } = await startServer();
      let pool = new Pool(base, { connections: CONCURRENCY });
      const call = async (
        method: string,
        path: string,
        body?: string,
        headers: Record<string, string> = {},
      ) => {
        const r = await poolRequest(pool, method, path, body, headers);
        return { status: r.status, headers: r.headers, json: r.text ? JSON.parse(r.text) : undefined };
      };
      const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const partners = (await call('GET', '/api/admin/partners', undefined, admin)).json as { id: string }[];
      for (const p of partners) {
        const r = await call(
          'PATCH',
          `/api/admin/partners/${p.id}`,
          JSON.stringify({ url: rx.url(`/${p.id}`) }),
          admin,
        );
        expect(r.status).toBe(200);
      }
      const reg = await call(
        'POST',
        '/api/auth/register',
        JSON.stringify({ email: 'crash@example.com', password: 'correct horse battery', name: 'Crash' }),
      );
      expect(reg.status).toBe(201);
      const cookie = String(reg.headers['set-cookie']).split(';')[0]!;

      const created = new Map<string, string>(); // idempotency key → order id (got a 201)
      const unknown = new Set<string>(); // sent, no answer (killed in flight)
      let next = 0;
      let answered = 0;
      let killed = false;
      const worker = async () => {
        while (next < ORDERS) {
          const i = next++;
          const key = `crash-${i}`;
          try {
            const r = await call('POST', '/api/orders', orderBody(i), { cookie, 'idempotency-key': key });
            if (r.status === 201) created.set(key, r.json.id);
            else throw new Error(`order ${i}: ${r.status} ${JSON.stringify(r.json)}`);
          } catch (e) {
            if (!killed) throw e;
            unknown.add(key);
          }
          if (++answered === KILL_AFTER && !killed) {
            killed = true;
            kill9(child);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      expect(killed).toBe(true);
      if (child.exitCode === null && child.signalCode === null)
        await new Promise((r) => child.once('exit', r));
      await pool.close().catch(() => {});
      expect(created.size).toBeGreaterThanOrEqual(KILL_AFTER - CONCURRENCY);

      // Second life on the same database.
      ({ child, base } = await startServer());
      pool = new Pool(base, { connections: CONCURRENCY });
      db = new Database(dbPath, { readonly: true, fileMustExist: true });

      // Every 201 order exists exactly once, under its key, with one outbox row per partner it needs.
      const before = { created: created.size, unanswered: unknown.size };
      const orderRow = db.prepare('SELECT id, three_pl_id FROM orders WHERE id = ?');
      const suppliers = db.prepare('SELECT DISTINCT supplier_id AS p FROM order_lines WHERE order_id = ?');
      const outbox = db.prepare('SELECT partner_id AS p, id FROM webhook_messages WHERE order_id = ?');
      const byKey = db.prepare('SELECT order_id FROM idempotency_keys WHERE key = ?');
      for (const [key, id] of created) {
        const o = orderRow.get(id) as { id: string; three_pl_id: string } | undefined;
        expect(o, `order ${id} of ${key}`).toBeDefined();
        expect((byKey.get(key) as { order_id: string }).order_id).toBe(id);
        const need = new Set([...suppliers.all(id).map((r) => (r as { p: string }).p), o!.three_pl_id]);
        const rows = outbox.all(id) as { p: string }[];
        expect(new Set(rows.map((r) => r.p))).toEqual(need);
        expect(rows).toHaveLength(need.size);
      }
      // No outbox row without its order, no line without its order.
      expect(
        db
          .prepare(
            'SELECT count(*) AS n FROM webhook_messages m LEFT JOIN orders o ON o.id = m.order_id WHERE o.id IS NULL',
          )
          .get(),
      ).toEqual({ n: 0 });
      expect(
        db
          .prepare(
            'SELECT count(*) AS n FROM order_lines l LEFT JOIN orders o ON o.id = l.order_id WHERE o.id IS NULL',
          )
          .get(),
      ).toEqual({
        n: 0,
      });

      // A client retrying with the same Idempotency-Key gets one order: the same one for a 201,
      // and for a request lost in the crash either its committed order or a new one, never two.
      for (const key of [...created.keys(), ...unknown]) {
        const i = Number(key.split('-')[1]);
        const r = await call('POST', '/api/orders', orderBody(i), { cookie, 'idempotency-key': key });
        expect(r.status, `${key}: ${JSON.stringify(r.json)}`).toBe(201);
        if (created.has(key)) expect(r.json.id).toBe(created.get(key));
        else created.set(key, r.json.id);
      }
      expect(db.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: created.size });
      expect(new Set(created.values()).size).toBe(created.size);

      // After restart, every order's webhooks arrive: at least once each, exactly once by webhook-id.
      const expected = new Set(
        (db.prepare('SELECT id FROM webhook_messages').all() as { id: string }[]).map((r) => r.id),
      );
      const deadline = Date.now() + 60_000;
      while ([...expected].some((id) => !rx.received.some((r) => r.id === id))) {
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const seen = new Set(rx.received.map((r) => r.id));
      const missing = [...expected].filter((id) => !seen.has(id));
      expect(missing).toEqual([]);
      expect(rx.received.every((r) => r.verified)).toBe(true);
      expect(seen.size).toBe(expected.size);
      console.log(
        `crash test: ${ORDERS} orders at concurrency ${CONCURRENCY}, killed after ${KILL_AFTER} answers; ` +
          `${before.created} got 201 before the kill, ${before.unanswered} unanswered (in flight or sent after it; retried with their keys); ` +
          `${expected.size} webhooks, ${rx.received.length} requests received (${rx.received.length - seen.size} duplicates by webhook-id)`,
      );
      await pool.close();
    } finally {
      db?.close();
      await rx.close();
    }
  }, 180_000);
});
