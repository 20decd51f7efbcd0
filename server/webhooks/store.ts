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
  /** The body's exact bytes: signed and sent as they are, never re-encoded. */
  payload: Buffer;
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

/** Rows per multi-row statement of the attempt log and the delivered marks (10 parameters a row). */
const BATCH = 32;

/** The synchronous implementation on a better-sqlite3 connection. */
export class SqliteDeliveryStore {
  private readonly s;
  /** Multi-row statements by row count, prepared on first use. */
  private readonly attemptStatements: Database.Statement[] = [];
  private readonly deliveredStatements: Database.Statement[] = [];
  /** The partners as last handed to the dispatcher (see `partnersVersion`). */
  private partnersSeen: string | null | undefined;
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
      // One statement claims a batch: atomic, so two dispatchers never both get a row. An
      // order.cancelled waits while its partner has a request of that order still pending (retrying
      // or in flight): sent first, the cancel reached a supplier before the request it cancels,
      // which arrived at its retry and would be made. It goes once that request is delivered or has
      // failed for good (decision 029). It rewrites
      // only the narrow state rows; each body comes back with its row from webhook_payloads (a
      // subquery in RETURNING: one statement per claim instead of one lookup per message), as
      // bytes, which are signed and sent without a UTF-8 round trip.
      claim: db.prepare<
        [{ lease: number; now: number; partnerId: string; limit: number }],
        Omit<ClaimedMessage, 'payload'> & { payload: Buffer | null }
      >(
        `UPDATE webhook_messages SET claimed_until = @lease
          WHERE rowid IN (SELECT rowid FROM webhook_messages m
                           WHERE partner_id = @partnerId AND status = 'pending' AND next_attempt_at <= @now
                             AND (claimed_until IS NULL OR claimed_until < @now)
                             AND NOT (event_type = 'order.cancelled' AND EXISTS (
                               SELECT 1 FROM webhook_messages earlier INDEXED BY webhook_messages_order_idx
                                WHERE earlier.order_id = m.order_id AND earlier.partner_id = m.partner_id
                                  AND earlier.status = 'pending' AND earlier.event_type <> 'order.cancelled'))
                           ORDER BY next_attempt_at LIMIT @limit)
          RETURNING id, partner_id, attempts, next_attempt_at,
                    (SELECT CAST(payload AS BLOB) FROM webhook_payloads
                      WHERE webhook_payloads.message_id = webhook_messages.id) AS payload`,
      ),
      // Everything of the partners that decides where and how a message goes, as one string: a
      // rotation, a new URL or a disable is noticed at the next tick, not at the next periodic
      // re-read (a message queued right after rotate-secret returned went out signed only with
      // the old secrets, which a partner handed the new one could not verify).
      partnersVersion: db
        .prepare<[], string | null>(
          `SELECT group_concat(id || ' ' || enabled || ' ' || ifnull(url, '') || ' ' || secret || ' ' ||
                               ifnull(previous_secret, '') || ' ' || ifnull(previous_secret_expires_at, ''), '|')
             FROM partners`,
        )
        .pluck(),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      // A claim handed back unsent that an operator redelivered meanwhile starts its fresh round.
      release: db.prepare<[string, number]>(
        `UPDATE webhook_messages SET claimed_until = NULL, redeliver_requested_at = NULL,
                attempts = CASE WHEN redeliver_requested_at IS NULL THEN attempts ELSE 0 END
          WHERE id = ? AND claimed_until = ?`,
      ),
      // Every result (this one, and the batched `delivered` marks below) is written only while the
      // claim is still ours: another dispatcher's takeover after a lapse, or an operator's
      // redelivery once it lapsed, is never overwritten by a stale result. An operator's
      // redelivery during the attempt leaves the claim alone and is applied here: an attempt that
      // did not deliver is followed by a fresh round at once (docs/decisions/028).
      other: db.prepare<
        [
          {
            status: string;
            attempt: number;
            next: number;
            now: number;
            code: number | null;
            error: string | null;
            id: string;
            lease: number;
          },
        ]
      >(
        `UPDATE webhook_messages
            SET status = CASE WHEN redeliver_requested_at IS NULL THEN @status ELSE 'pending' END,
                attempts = CASE WHEN redeliver_requested_at IS NULL THEN @attempt ELSE 0 END,
                next_attempt_at = CASE WHEN redeliver_requested_at IS NULL THEN @next ELSE @now END,
                last_status_code = @code, last_error = @error, claimed_until = NULL, redeliver_requested_at = NULL
          WHERE id = @id AND claimed_until = @lease`,
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
        this.recordAll(input.results, input.now);
        for (const c of input.claims) {
          const rows = this.s.claim.all({
            lease: input.lease,
            now: input.now,
            partnerId: c.partnerId,
            limit: c.limit,
          });
          // Every message is written with its body (one transaction); a missing one is a bug
          // elsewhere, and is left claimed (it lapses) rather than sent empty.
          claimed.push(rows.filter((r): r is ClaimedMessage => r.payload !== null));
        }
      })
      .immediate();
    const version = this.s.partnersVersion.get() as string | null;
    const changed = version !== this.partnersSeen;
    this.partnersSeen = version;
    return { claimed, partners: input.loadPartners || changed ? this.s.partners.all() : null };
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

  /**
   * The attempt log rows and the `delivered` marks of a tick go in as multi-row statements of up
   * to BATCH rows (one statement call instead of one per delivery); the rarer outcomes one by one.
   * Same rows and same `WHERE id = ? AND claimed_until = <our lease>` checks as one at a time.
   */
  private recordAll(results: AttemptRecord[], now: number): void {
    const attemptArgs: unknown[] = [];
    const deliveredArgs: unknown[] = [];
    let attempts = 0;
    let delivered = 0;
    for (const r of results) {
      attemptArgs.push(
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
      if (++attempts === BATCH) {
        this.insertAttempts(attempts).run(attemptArgs);
        attemptArgs.length = 0;
        attempts = 0;
      }
      if (r.outcome === 'delivered') {
        deliveredArgs.push(r.messageId, r.lease, r.attempt, r.statusCode);
        if (++delivered === BATCH) {
          this.markDelivered(delivered).run(now, deliveredArgs);
          deliveredArgs.length = 0;
          delivered = 0;
        }
      } else this.recordUndelivered(r, now);
    }
    if (attempts > 0) this.insertAttempts(attempts).run(attemptArgs);
    if (delivered > 0) this.markDelivered(delivered).run(now, deliveredArgs);
  }

  private insertAttempts(rows: number): Database.Statement {
    let stmt = this.attemptStatements[rows];
    if (!stmt) {
      stmt = this.db.prepare(
        `INSERT INTO delivery_attempts
           (message_id, partner_id, attempt, url, started_at, duration_ms, status_code, error, response_snippet, outcome)
         VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      );
      this.attemptStatements[rows] = stmt;
    }
    return stmt;
  }

  private markDelivered(rows: number): Database.Statement {
    let stmt = this.deliveredStatements[rows];
    if (!stmt) {
      // Written only while the claim is still ours (see `other`). A redelivery asked for during
      // the attempt is answered by its success: the partner has the message (decision 028).
      stmt = this.db.prepare(
        `UPDATE webhook_messages SET status = 'delivered', attempts = v.column3, last_status_code = v.column4,
                last_error = NULL, delivered_at = ?, claimed_until = NULL, redeliver_requested_at = NULL
           FROM (VALUES ${Array(rows).fill('(?, ?, ?, ?)').join(', ')}) AS v
          WHERE webhook_messages.id = v.column1 AND webhook_messages.claimed_until = v.column2`,
      );
      this.deliveredStatements[rows] = stmt;
    }
    return stmt;
  }

  /** An attempt that did not deliver: retry, failed, or the partner answered 410 (delivered ones go in batches). */
  private recordUndelivered(r: AttemptRecord, now: number): void {
    const record = (status: 'pending' | 'failed', next: number) =>
      this.s.other.run({
        status,
        attempt: r.attempt,
        next,
        now,
        code: r.statusCode,
        error: r.error,
        id: r.messageId,
        lease: r.lease,
      });
    switch (r.outcome) {
      case 'disabled':
        record('pending', now);
        this.s.disable.run(
          `answered 410 Gone at ${new Date(now).toISOString()} (${r.url})`,
          now,
          r.partnerId,
        );
        break;
      case 'retry':
        record('pending', r.nextAttemptAt);
        break;
      case 'failed':
        record('failed', now);
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
