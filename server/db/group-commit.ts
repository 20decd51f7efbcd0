import type Database from 'better-sqlite3';

interface Job {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: write jobs that arrive while the event loop is busy are run together in ONE
 * IMMEDIATE transaction and made durable by ONE commit (one fsync with synchronous=FULL). Each
 * job runs in its own savepoint, so a failing job rolls back alone; every caller's promise
 * settles only after the shared COMMIT returned, so nobody is answered before their data is on
 * disk. See docs/decisions/012-group-commit.md.
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

  /** Runs `fn` (synchronous; it may throw to abort only itself) in the next shared transaction. */
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
    const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const db = this.sqlite;
    try {
      db.exec('BEGIN IMMEDIATE');
      for (const job of batch) {
        db.exec('SAVEPOINT job');
        try {
          const value = job.fn();
          db.exec('RELEASE job');
          results.push({ ok: true, value });
        } catch (error) {
          db.exec('ROLLBACK TO job');
          db.exec('RELEASE job');
          results.push({ ok: false, error });
        }
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      for (const job of batch) job.reject(error);
      return;
    }
    this.batches++;
    this.jobs += batch.length;
    batch.forEach((job, i) => {
      const r = results[i]!;
      if (r.ok) job.resolve(r.value);
      else job.reject(r.error);
    });
  }
}

const committers = new WeakMap<Database.Database, GroupCommitter>();

/** The one committer of a connection (created on first use). */
export function groupCommitter(sqlite: Database.Database): GroupCommitter {
  let g = committers.get(sqlite);
  if (!g) committers.set(sqlite, (g = new GroupCommitter(sqlite)));
  return g;
}
