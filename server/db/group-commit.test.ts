import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommitter } from './group-commit';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open() {
  const dir = mkdtempSync(join(tmpdir(), 'tl-gc-'));
  dirs.push(dir);
  const sqlite = new Database(join(dir, 'g.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
  const rows = () => (sqlite.prepare('SELECT v FROM t ORDER BY id').all() as { v: string }[]).map((r) => r.v);
  return { sqlite, insert, rows };
}

describe('GroupCommitter', () => {
  it('runs jobs submitted together in one transaction and answers each after the commit', async () => {
    const { sqlite, insert, rows } = open();
    const g = new GroupCommitter(sqlite);
    const seenInTx: boolean[] = [];
    const results = await Promise.all(
      ['a', 'b', 'c'].map((v) =>
        g.submit(() => {
          seenInTx.push(sqlite.inTransaction);
          insert.run(v);
          return v.toUpperCase();
        }),
      ),
    );
    expect(results).toEqual(['A', 'B', 'C']);
    expect(seenInTx).toEqual([true, true, true]);
    expect(g.batches).toBe(1);
    expect(rows()).toEqual(['a', 'b', 'c']);
    expect(sqlite.inTransaction).toBe(false);
  });

  it('a job that fails after writing rolls back alone: the others commit exactly once', async () => {
    const { sqlite, insert, rows } = open();
    const g = new GroupCommitter(sqlite);
    let runs = 0;
    const outcomes = await Promise.allSettled([
      g.submit(() => insert.run('a')),
      g.submit(() => {
        runs++;
        insert.run('half-written');
        throw new Error('job b failed halfway');
      }),
      g.submit(() => insert.run('c')),
      // A constraint violation raised by SQLite itself, after this job wrote a row of its own.
      g.submit(() => {
        insert.run('d');
        insert.run('a');
      }),
      g.submit(() => insert.run('e')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('job b failed halfway');
    expect((outcomes[3] as PromiseRejectedResult).reason.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(rows()).toEqual(['a', 'c', 'e']);
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(sqlite.inTransaction).toBe(false);
    // The connection is usable afterwards, in a new batch.
    await g.submit(() => insert.run('f'));
    expect(rows()).toEqual(['a', 'c', 'e', 'f']);
  });

  it('splits a queue longer than maxBatch into several commits, in order', async () => {
    const { sqlite, insert, rows } = open();
    const g = new GroupCommitter(sqlite, 4);
    const values = Array.from({ length: 10 }, (_, i) => `v${i}`);
    await Promise.all(values.map((v) => g.submit(() => insert.run(v))));
    expect(g.batches).toBe(3);
    expect(g.jobs).toBe(10);
    expect(rows()).toEqual(values);
  });

  it('when the commit itself cannot start, every job of the batch is rejected and nothing is written', async () => {
    const { sqlite, insert, rows } = open();
    const g = new GroupCommitter(sqlite);
    // Another connection holds the write lock: BEGIN IMMEDIATE fails with SQLITE_BUSY.
    const other = new Database(sqlite.name);
    other.pragma('busy_timeout = 0');
    sqlite.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    const outcomes = await Promise.allSettled([
      g.submit(() => insert.run('x')),
      g.submit(() => insert.run('y')),
    ]);
    other.exec('ROLLBACK');
    other.close();
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason.code).toBe('SQLITE_BUSY');
    expect(rows()).toEqual([]);
    expect(sqlite.inTransaction).toBe(false);
  });

  it('a full disk that rolls back the whole transaction rejects every job with SQLITE_FULL, and writes nothing', async () => {
    const { sqlite, insert, rows } = open();
    const g = new GroupCommitter(sqlite);
    await g.submit(() => insert.run('kept'));
    // No page may be added: the first job needing one fails, and SQLite undoes the transaction.
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true })}`);
    const big = 'x'.repeat(3000);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) => g.submit(() => insert.run(`${big}${i}`))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    for (const o of outcomes) expect((o as PromiseRejectedResult).reason.code).toBe('SQLITE_FULL');
    expect(rows()).toEqual(['kept']);
    expect(sqlite.inTransaction).toBe(false);
    sqlite.pragma('max_page_count = 4294967294');
    await g.submit(() => insert.run('after'));
    expect(rows()).toEqual(['kept', 'after']);
  });
});
