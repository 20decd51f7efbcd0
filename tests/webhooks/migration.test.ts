import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { realCatalog } from '../../catalog/engine/test-fixtures';
import { MIGRATIONS_DIR, openDatabase } from '../../server/db/client';
import { Dispatcher } from '../../server/webhooks/dispatcher';
import { seedPartners } from '../../server/webhooks/partners';
import { startReceiver } from './helpers';

// Migration 0005 moves each outbox body out of webhook_messages into webhook_payloads. A database
// written before it must upgrade in place: every message keeps its body byte for byte, its
// delivery state and its attempt log, and the pending ones are then delivered as usual.

/** A copy of the migrations folder holding only the migrations up to `lastIdx`. */
function migrationsUpTo(dir: string, lastIdx: number): string {
  const out = join(dir, 'migrations');
  mkdirSync(join(out, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  journal.entries = journal.entries.filter((e) => e.idx <= lastIdx);
  for (const e of journal.entries)
    copyFileSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), join(out, `${e.tag}.sql`));
  writeFileSync(join(out, 'meta', '_journal.json'), JSON.stringify(journal));
  return out;
}

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tl-migrate-'));
  path = join(dir, 'old.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 0005 (outbox bodies in their own table)', () => {
  it('upgrades a database in place: bodies, states and attempts preserved, pending messages delivered', async () => {
    // The database as the previous release left it (migrations 0000-0004), with its outbox.
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.pragma('foreign_keys = ON');
    migrate(drizzle(old), { migrationsFolder: migrationsUpTo(dir, 4) });
    seedPartners(drizzle(old) as never, realCatalog());
    const insert = old.prepare(
      `INSERT INTO webhook_messages (id, partner_id, event_type, order_id, payload, status, attempts, next_attempt_at,
         last_status_code, last_error, created_at, delivered_at, claimed_until)
       VALUES (?, ?, 'production.requested', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const now = Date.now();
    const body = (i: number) =>
      JSON.stringify({
        type: 'production.requested',
        timestamp: '2026-11-30T12:00:00.000Z',
        data: { orderId: `ord_${i}`, note: 'é ✓ "q"' },
      });
    // 40 pending (some never tried, some retrying, one with a lapsed lease), 10 delivered, 2 failed.
    for (let i = 0; i < 52; i++) {
      const status = i < 40 ? 'pending' : i < 50 ? 'delivered' : 'failed';
      const attempts = status === 'pending' ? i % 3 : status === 'delivered' ? 1 : 8;
      insert.run(
        `msg_old_${i}`,
        i % 2 ? 'workshop' : '3pl-eu',
        `ord_${i}`,
        body(i),
        status,
        attempts,
        now - 1000,
        status === 'failed' ? 503 : attempts ? 500 : null,
        attempts && status !== 'delivered' ? 'HTTP 500' : null,
        now - 60_000 + i,
        status === 'delivered' ? now - 30_000 : null,
        i === 7 ? now - 5000 : null,
      );
    }
    old
      .prepare(
        `INSERT INTO delivery_attempts (message_id, partner_id, attempt, url, started_at, duration_ms, status_code, outcome)
         VALUES ('msg_old_1', 'workshop', 1, 'http://old', ?, 12, 500, 'retry')`,
      )
      .run(now - 50_000);
    const before = old
      .prepare(
        `SELECT id, partner_id, event_type, order_id, status, attempts, next_attempt_at, last_status_code, last_error,
                created_at, delivered_at, claimed_until FROM webhook_messages ORDER BY id`,
      )
      .all();
    old.close();

    // The new release opens it: pending migrations run at start.
    const { sqlite } = openDatabase(path);
    try {
      const cols = (sqlite.prepare('PRAGMA table_info(webhook_messages)').all() as { name: string }[]).map(
        (c) => c.name,
      );
      expect(cols).not.toContain('payload');
      const after = sqlite
        .prepare(
          `SELECT id, partner_id, event_type, order_id, status, attempts, next_attempt_at, last_status_code, last_error,
                  created_at, delivered_at, claimed_until FROM webhook_messages ORDER BY id`,
        )
        .all();
      expect(after).toEqual(before);
      const bodies = sqlite
        .prepare('SELECT message_id, payload FROM webhook_payloads ORDER BY message_id')
        .all() as {
        message_id: string;
        payload: string;
      }[];
      expect(bodies).toHaveLength(52);
      for (const b of bodies) expect(b.payload).toBe(body(Number(b.message_id.slice('msg_old_'.length))));
      expect(sqlite.prepare('SELECT count(*) AS n FROM delivery_attempts').get()).toEqual({ n: 1 });
      expect(sqlite.pragma('foreign_key_check')).toEqual([]);
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');

      // The pending ones go out, each with its old body and webhook-id.
      const secrets = new Map(
        (sqlite.prepare('SELECT id, secret FROM partners').all() as { id: string; secret: string }[]).map(
          (p) => [p.id, p.secret],
        ),
      );
      const rx = await startReceiver((p) => [secrets.get(p.split('/')[1] ?? '') ?? '']);
      for (const p of ['workshop', '3pl-eu'])
        sqlite.prepare('UPDATE partners SET url = ? WHERE id = ?').run(rx.url(`/${p}`), p);
      const d = new Dispatcher({
        sqlite,
        retrySchedule: [1],
        allowPrivate: true,
        pollMs: 5,
        timeoutMs: 2000,
      });
      d.start();
      const pending = () =>
        (
          sqlite.prepare("SELECT count(*) AS n FROM webhook_messages WHERE status = 'pending'").get() as {
            n: number;
          }
        ).n;
      const deadline = Date.now() + 10_000;
      while (pending() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await d.stop();
      await rx.close();
      expect(pending()).toBe(0);
      // Every one of the 40 pending messages arrived once (the lapsed lease included), verified, body intact.
      expect(rx.received.map((r) => r.id).sort()).toEqual(
        Array.from({ length: 40 }, (_, i) => `msg_old_${i}`).sort(),
      );
      for (const r of rx.received) {
        expect(r.verified).toBe(true);
        expect(r.body).toBe(body(Number(r.id.slice('msg_old_'.length))));
      }
      const failed = sqlite
        .prepare("SELECT count(*) AS n FROM webhook_messages WHERE status = 'failed'")
        .get();
      expect(failed).toEqual({ n: 2 });
    } finally {
      sqlite.close();
    }
  });
});
