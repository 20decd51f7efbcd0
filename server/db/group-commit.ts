import type Database from 'better-sqlite3';

interface Job {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: write jobs that arrive while the event loop is busy are run together in ONE
 * IMMEDIATE transaction and made durable by ONE commit (one fsync with synchronous=FULL). Every
 * caller's promise settles only after the shared COMMIT returned, so nobody is answered before
 * their data is on disk. See docs/decisions/012-group-commit.md.
 *
 * A failing job rolls back alone. Jobs are first run back to back without savepoints (a savepoint
 * per job copied every page it touched into the savepoint journal, ≈ 5 % of an order's CPU); if
 * one throws, the whole batch is rolled back and run again with a savepoint per job, so the
 * failing one is undone without its neighbours (decision 044).
 */
export class GroupCommitter {
  private queue: Job[] = [];
  private scheduled = false;
  batches = 0;
  jobs = 0;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly maxBatch = 512,
  ) {}

  /**
   * Runs `fn` (synchronous; it may throw to abort only itself) in the next shared transaction.
   * `fn` may run twice (again after a rollback, when another job of its batch failed), so it must
   * only write to the database, never change anything outside it.
   */
  submit<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate runs after pending I/O callbacks: requests already read are in the batch.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    if (batch.length === 0) return;
    const db = this.sqlite;
    let results: Result[] | undefined;
    try {
      db.exec('BEGIN IMMEDIATE');
      results = runTogether(batch);
      if (!results) {
        // (An I/O or disk-full error may already have rolled the transaction back.)
        if (db.inTransaction) db.exec('ROLLBACK');
        db.exec('BEGIN IMMEDIATE');
        results = runEachInSavepoint(db, batch);
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      for (const job of batch) job.reject(error);
      return;
    }
    this.batches++;
    this.jobs += batch.length;
    const settled = results;
    batch.forEach((job, i) => {
      const r = settled[i]!;
      if (r.ok) job.resolve(r.value);
      else job.reject(r.error);
    });
  }
}

type Result = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Every job back to back in the open transaction; undefined as soon as one throws. */
function runTogether(batch: Job[]): Result[] | undefined {
  const results: Result[] = [];
  for (const job of batch) {
    try {
      results.push({ ok: true, value: job.fn() });
    } catch {
      return undefined;
    }
  }
  return results;
}

/** Every job in its own savepoint, so a failing one is undone alone. */
function runEachInSavepoint(db: Database.Database, batch: Job[]): Result[] {
  const results: Result[] = [];
  for (const job of batch) {
    db.exec('SAVEPOINT job');
    try {
      const value = job.fn();
      db.exec('RELEASE job');
      results.push({ ok: true, value });
    } catch (error) {
      // A full disk or an I/O error can make SQLite roll back the whole transaction: every job of
      // the batch is undone, and the batch fails with this cause (not "no such savepoint").
      if (!db.inTransaction) throw error;
      db.exec('ROLLBACK TO job');
      db.exec('RELEASE job');
      results.push({ ok: false, error });
    }
  }
  return results;
}

const committers = new WeakMap<Database.Database, GroupCommitter>();

/** The one committer of a connection (created on first use). */
export function groupCommitter(sqlite: Database.Database): GroupCommitter {
  let g = committers.get(sqlite);
  if (!g) committers.set(sqlite, (g = new GroupCommitter(sqlite)));
  return g;
}
