import type Database from 'better-sqlite3';

// The dispatcher's database work, behind one small asynchronous interface: today it runs on the
// dispatcher's own event loop (`inlineStore`). A store on a thread of its own was tried and
// measured no faster on the 2-core benchmark machine (tests/bench/RESULTS.md, "Webhooks").

export interface PartnerTarget {
  id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
}

export interface ClaimedMessage {
  id: string;
  partner_id: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
}

export type Outcome = 'delivered' | 'retry' | 'failed' | 'disabled';

/** One finished attempt, as recorded (plain data: it may cross a thread boundary). */
export interface AttemptRecord {
  messageId: string;
  partnerId: string;
  /** 1-based number of this attempt in the current round. */
  attempt: number;
  lease: number;
  url: string;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseSnippet: string | null;
  outcome: Outcome;
  nextAttemptAt: number;
}

export interface TickInput {
  now: number;
  lease: number;
  results: AttemptRecord[];
  claims: { partnerId: string; limit: number }[];
  loadPartners: boolean;
}

export interface TickOutput {
  claimed: ClaimedMessage[][];
  partners: PartnerTarget[] | null;
}

export interface DeliveryStore {
  /** Records results and claims the next batch in ONE transaction (one commit per tick). */
  tick(input: TickInput): Promise<TickOutput>;
  /** Hands claims back unsent (their lease is cleared if still ours). */
  release(items: { id: string; lease: number }[]): Promise<void>;
  /** SQLite's data_version: changes when another connection commits. */
  dataVersion(): Promise<number>;
  close(): Promise<void>;
}

/** WAL frames after which a commit on the dispatcher's connection checkpoints (SQLite's default: 1000). */
const CHECKPOINT_PAGES = 4000;

/** The synchronous implementation on a better-sqlite3 connection. */
export class SqliteDeliveryStore {
  private readonly s;
  constructor(private readonly db: Database.Database) {
    // Checkpoint less often on this connection: each checkpoint copies the pages it finds in
    // the WAL back to the database file and fsyncs both, on the sending loop. The claim and
    // result pages are rewritten every tick, so a longer WAL copies each hot page once per
    // 4,000 frames (~16 MB) instead of once per 1,000 (docs/decisions/026). Other connections
    // (order intake) keep SQLite's default.
    db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
    this.s = {
      partners: db.prepare<[], PartnerTarget>(
        `SELECT id, url, secret, previous_secret, previous_secret_expires_at
           FROM partners WHERE enabled = 1 AND url IS NOT NULL AND url <> ''`,
      ),
      // One statement claims a batch: atomic, so two dispatchers never both get a row. It rewrites
      // only the narrow state rows (the bodies live in webhook_payloads, read below).
      claim: db.prepare<
        [{ lease: number; now: number; partnerId: string; limit: number }],
        Omit<ClaimedMessage, 'payload'>
      >(
        `UPDATE webhook_messages SET claimed_until = @lease
          WHERE rowid IN (SELECT rowid FROM webhook_messages
                           WHERE partner_id = @partnerId AND status = 'pending' AND next_attempt_at <= @now
                             AND (claimed_until IS NULL OR claimed_until < @now)
                           ORDER BY next_attempt_at LIMIT @limit)
          RETURNING id, partner_id, attempts, next_attempt_at`,
      ),
      payload: db
        .prepare<[string], string>('SELECT payload FROM webhook_payloads WHERE message_id = ?')
        .pluck(),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      release: db.prepare<[string, number]>(
        'UPDATE webhook_messages SET claimed_until = NULL WHERE id = ? AND claimed_until = ?',
      ),
      // Every result is written only while the claim is still ours: an operator's redelivery or
      // another dispatcher's takeover after a lapse is never overwritten by a stale result.
      delivered: db.prepare<[number, number | null, number, string, number]>(
        `UPDATE webhook_messages SET status = 'delivered', attempts = ?, last_status_code = ?, last_error = NULL,
                delivered_at = ?, claimed_until = NULL
          WHERE id = ? AND claimed_until = ?`,
      ),
      other: db.prepare<[string, number, number, number | null, string | null, string, number]>(
        `UPDATE webhook_messages SET status = ?, attempts = ?, next_attempt_at = ?, last_status_code = ?,
                last_error = ?, claimed_until = NULL
          WHERE id = ? AND claimed_until = ?`,
      ),
      attempt: db.prepare(
        `INSERT INTO delivery_attempts
           (message_id, partner_id, attempt, url, started_at, duration_ms, status_code, error, response_snippet, outcome)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      disable: db.prepare<[string, number, string]>(
        'UPDATE partners SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?',
      ),
    };
  }

  tick(input: TickInput): TickOutput {
    const claimed: ClaimedMessage[][] = [];
    this.db
      .transaction(() => {
        claimed.length = 0;
        for (const r of input.results) this.record(r, input.now);
        for (const c of input.claims) {
          const rows = this.s.claim.all({
            lease: input.lease,
            now: input.now,
            partnerId: c.partnerId,
            limit: c.limit,
          });
          const batch: ClaimedMessage[] = [];
          for (const r of rows) {
            const payload = this.s.payload.get(r.id);
            // Every message is written with its body (one transaction); a missing one is a bug
            // elsewhere, and is left claimed (it lapses) rather than sent empty.
            if (payload !== undefined) batch.push({ ...r, payload });
          }
          claimed.push(batch);
        }
      })
      .immediate();
    return { claimed, partners: input.loadPartners ? this.s.partners.all() : null };
  }

  release(items: { id: string; lease: number }[]): void {
    if (items.length === 0) return;
    this.db
      .transaction(() => {
        for (const i of items) this.s.release.run(i.id, i.lease);
      })
      .immediate();
  }

  dataVersion(): number {
    return this.s.dataVersion.get() as number;
  }

  private record(r: AttemptRecord, now: number): void {
    this.s.attempt.run(
      r.messageId,
      r.partnerId,
      r.attempt,
      r.url,
      r.startedAt,
      r.durationMs,
      r.statusCode,
      r.error,
      r.responseSnippet,
      r.outcome,
    );
    switch (r.outcome) {
      case 'delivered':
        this.s.delivered.run(r.attempt, r.statusCode, now, r.messageId, r.lease);
        break;
      case 'disabled':
        this.s.other.run('pending', r.attempt, now, r.statusCode, r.error, r.messageId, r.lease);
        this.s.disable.run(
          `answered 410 Gone at ${new Date(now).toISOString()} (${r.url})`,
          now,
          r.partnerId,
        );
        break;
      case 'retry':
        this.s.other.run('pending', r.attempt, r.nextAttemptAt, r.statusCode, r.error, r.messageId, r.lease);
        break;
      case 'failed':
        this.s.other.run('failed', r.attempt, now, r.statusCode, r.error, r.messageId, r.lease);
        break;
    }
  }
}

/** The store on the caller's own event loop (tests, small deployments). */
export function inlineStore(db: Database.Database): DeliveryStore {
  const store = new SqliteDeliveryStore(db);
  return {
    tick: async (input) => store.tick(input),
    release: async (items) => store.release(items),
    dataVersion: async () => store.dataVersion(),
    close: async () => {},
  };
}
