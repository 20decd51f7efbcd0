/**
 * The least CPU any order store can spend per order under issue 3's one-transaction rule, on this
 * machine: the order, its 2 lines, its first event, one outbox row per partner (3) and the
 * idempotency record, i.e. 8 rows, written to tables that have nothing but a primary key, with no
 * JavaScript building them, ORDERS_PER_COMMIT orders sharing each IMMEDIATE transaction and its
 * commit (group commit), WAL, `synchronous=FULL`. Real orders write far more (snapshots, payloads,
 * the indexes the history, console and dispatcher read); this is a floor, not a design.
 *
 * Compared with the bare route's CPU per request (`npm run bench -- intake`, "server CPU per
 * request"), it says how close to the bare route any order route could come on one core.
 *
 *   npm run bench -- intake-floor
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

try {
  execSync(`taskset -p -c 0 ${process.pid}`, { stdio: 'ignore' });
} catch {
  // No taskset: measured on whichever core the OS picks.
}

const ORDERS_PER_COMMIT = 16; // what the intake benchmark's group commit reaches at 32 connections
const BATCHES = 4000;
const TABLES = ['orders', 'lines', 'events', 'outbox', 'idempotency'] as const;

function measure(rowBytes: number, synchronous: 'FULL' | 'NORMAL') {
  const dir = mkdtempSync(join(tmpdir(), 'tailorloop-floor-'));
  const db = new Database(join(dir, 'floor.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('temp_store = MEMORY');
    for (const t of TABLES) db.exec(`CREATE TABLE ${t} (id TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID`);
    const insert = Object.fromEntries(
      TABLES.map((t) => [t, db.prepare(`INSERT INTO ${t} (id, v) VALUES (?, ?)`)]),
    ) as Record<(typeof TABLES)[number], Database.Statement>;
    const value = 'x'.repeat(rowBytes);
    let seq = 0;
    // Time-ordered ids, as the app's (decision 044): every insert lands at the right edge.
    const id = () => `${Date.now().toString(36)}${(++seq).toString(36).padStart(8, '0')}`;
    const batch = () => {
      db.exec('BEGIN IMMEDIATE');
      for (let i = 0; i < ORDERS_PER_COMMIT; i++) {
        insert.orders.run(id(), value);
        insert.lines.run(id(), value);
        insert.lines.run(id(), value);
        insert.events.run(id(), value);
        insert.outbox.run(id(), value);
        insert.outbox.run(id(), value);
        insert.outbox.run(id(), value);
        insert.idempotency.run(id(), value);
      }
      db.exec('COMMIT');
    };
    for (let i = 0; i < BATCHES / 8; i++) batch();
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < BATCHES; i++) batch();
      const c = process.cpuUsage(c0);
      runs.push((c.user + c.system) / (BATCHES * ORDERS_PER_COMMIT));
      if (r === 2)
        console.log(
          `  wall ${(((performance.now() - t0) * 1000) / (BATCHES * ORDERS_PER_COMMIT)).toFixed(1)} µs/order in the last run`,
        );
    }
    return runs.sort((a, b) => a - b);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `intake floor: 8 rows per order, ${ORDERS_PER_COMMIT} orders per commit, ${BATCHES} commits per run, 3 runs; ${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}`,
);
for (const synchronous of ['FULL', 'NORMAL'] as const)
  for (const rowBytes of [64, 300]) {
    const runs = measure(rowBytes, synchronous);
    console.log(
      `synchronous=${synchronous}, ${rowBytes}-byte rows: CPU per order ${runs.map((r) => r.toFixed(1)).join(' / ')} µs (min / median / max of 3 runs)`,
    );
  }
