import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { plainJeans } from '../catalog/engine/test-fixtures';
import { poolRequest, startReceiver } from './webhooks/helpers';

// SIGTERM in the middle of a burst of orders on keep-alive connections (what a deploy or
// `docker stop` does): every request is answered (201, or a 503 problem that says to retry),
// none is cut off, the server then exits by itself, the dispatcher hands back what it claimed,
// and the database is closed (no write lock, WAL checkpointed away).
const CONCURRENCY = 32;
const ADMIN_TOKEN = 'shutdown-test-admin-token-0123456789';
const ROOT = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'tailorloop-shutdown-'));
const dbPath = join(dir, 'shutdown.db');
let child: ChildProcess | undefined;

function orderBody(i: number) {
  return JSON.stringify({
    lines: [{ productId: 'jeans', selection: plainJeans, quantity: 1 + (i % 3) }],
    shipTo: { name: `Stop ${i}`, line1: '1 Test St', city: 'Town', postalCode: '12345', country: 'GB' },
  });
}

afterAll(async () => {
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('graceful shutdown', () => {
  it('SIGTERM under load answers or refuses every request, then exits with the database closed', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
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
        WEBHOOK_TIMEOUT_MS: '1000',
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let output = '';
    proc.stdout!.on('data', (d) => (output += d));
    proc.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<{ code: number | null; at: number }>((r) =>
      proc.once('exit', (code) => r({ code, at: Date.now() })),
    );
    const deadline = Date.now() + 30_000;
    let base = '';
    while (!base) {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) base = m[1]!;
      else if (proc.exitCode !== null) throw new Error(`server exited: ${output}`);
      else if (Date.now() > deadline) throw new Error(`server did not listen: ${output}`);
      else await new Promise((r) => setTimeout(r, 50));
    }

    // Slow partners: the dispatcher has messages claimed and waiting in its lanes at SIGTERM.
    const rx = await startReceiver(() => []);
    rx.setBehaviour((_req, res) => setTimeout(() => res.writeHead(204).end(), 200));
    const pool = new Pool(base, { connections: CONCURRENCY });
    try {
      const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
        poolRequest(pool, method, path, body, headers);
      const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
      for (const p of JSON.parse((await call('GET', '/api/admin/partners', undefined, admin)).text) as {
        id: string;
      }[]) {
        await call(
          'PATCH',
          `/api/admin/partners/${p.id}`,
          JSON.stringify({ url: rx.url(`/${p.id}`) }),
          admin,
        );
      }
      const reg = await call(
        'POST',
        '/api/auth/register',
        JSON.stringify({ email: 'stop@example.com', password: 'correct horse battery', name: 'Stop' }),
      );
      expect(reg.status).toBe(201);
      const cookie = String(reg.headers['set-cookie']).split(';')[0]!;

      const acked = new Set<string>();
      const outcomes = new Map<string, number>();
      const note = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
      let gone = false;
      let next = 0;
      const worker = async () => {
        while (!gone) {
          const i = next++;
          try {
            const r = await call('POST', '/api/orders', orderBody(i), {
              cookie,
              'idempotency-key': `stop-${i}`,
            });
            if (r.status === 201) acked.add(JSON.parse(r.text).id);
            else if (r.status === 503) {
              expect(r.headers['content-type']).toBe('application/problem+json');
              expect(r.headers['retry-after']).toBeDefined();
              // Like every other response (it used to be answered outside the app, without them).
              expect(r.headers['content-security-policy']).toContain("default-src 'self'");
              expect(r.headers['x-content-type-options']).toBe('nosniff');
            }
            note(String(r.status));
          } catch (e) {
            // Refused at connect once the listener is closed: the request never reached the server.
            const code = (e as { code?: string }).code ?? (e as Error).message;
            note(code);
            if (code === 'ECONNREFUSED') await new Promise((r) => setTimeout(r, 20));
          }
        }
      };
      const workers = Array.from({ length: CONCURRENCY }, worker);
      await new Promise((r) => setTimeout(r, 1500));
      const termAt = Date.now();
      process.kill(proc.pid!, 'SIGTERM');
      const exit = await exited;
      gone = true;
      await Promise.all(workers);

      const counts = Object.fromEntries(outcomes);
      const cutOff = [...outcomes].filter(([k]) => !['201', '503', 'ECONNREFUSED'].includes(k));
      console.log(
        `shutdown test: exit ${exit.code} after ${exit.at - termAt} ms; outcomes ${JSON.stringify(counts)}`,
      );
      expect(acked.size).toBeGreaterThan(0);
      // Nothing in flight is cut off: no reset, no socket closed under a request.
      expect(cutOff).toEqual([]);
      expect(exit.code).toBe(0);
      // By itself, well before the 3 s hard stop.
      expect(exit.at - termAt).toBeLessThan(2500);

      // Both connections were closed: the last one to close checkpoints and removes the WAL.
      const wal = `${dbPath}-wal`;
      expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
      const db = new Database(dbPath, { timeout: 0 });
      try {
        db.exec('BEGIN IMMEDIATE; ROLLBACK');
        const ids = new Set((db.prepare('SELECT id FROM orders').all() as { id: string }[]).map((r) => r.id));
        expect([...acked].filter((id) => !ids.has(id))).toEqual([]);
        // The dispatcher handed back its claims instead of leaving them to lapse after a restart.
        expect(
          db.prepare('SELECT count(*) AS n FROM webhook_messages WHERE claimed_until IS NOT NULL').get(),
        ).toEqual({ n: 0 });
      } finally {
        db.close();
      }
    } finally {
      await pool.close().catch(() => {});
      await rx.close();
    }
  }, 60_000);
});
