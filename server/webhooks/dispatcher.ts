import type Database from 'better-sqlite3';
import type { Agent } from 'undici';
import { createDeliveryAgent, type SendResult, sendWebhook } from './http-client';
import { liveSecrets, signatureHeader } from './signing';
import type { Resolver } from './ssrf';

export interface DispatcherOptions {
  /**
   * The dispatcher's OWN connection (see `openDispatcherDatabase`): its writes are leases and
   * delivery results, which may run at synchronous=NORMAL without weakening order durability.
   */
  sqlite: Database.Database;
  /** Seconds to wait after attempt 1, 2, ...; attempts = schedule length + 1. */
  retrySchedule: readonly number[];
  allowPrivate: boolean;
  /** Whole exchange per attempt (connect, headers, body). */
  timeoutMs?: number;
  /** In-flight requests per partner: the bulkhead that keeps a slow partner from holding up others. */
  partnerConcurrency?: number;
  /** In-flight requests overall. */
  maxInFlight?: number;
  /** How often an idle dispatcher looks for due messages. */
  pollMs?: number;
  /** How long a claim is ours; a crashed dispatcher's claims become due again after it. */
  leaseMs?: number;
  /** How often partner URLs, flags and secrets are re-read (operators change them). */
  partnerRefreshMs?: number;
  /** Results are recorded in one transaction at most this long after the first finishes. */
  flushMs?: number;
  /** How often an idle dispatcher checks whether another connection committed (new outbox rows). */
  changeCheckMs?: number;
  /** Retry delays vary by ±jitter (0.1 = ±10%) so a partner's outage does not end in a stampede. */
  jitter?: number;
  /** Longest `Retry-After` honoured (seconds). */
  maxRetryAfterSec?: number;
  now?: () => number;
  random?: () => number;
  resolve?: Resolver;
  /** `host:port` pairs exempt from the private-address check (the built-in sandbox partners). */
  exemptHosts?: readonly string[];
  log?: (line: string) => void;
}

interface PartnerTarget {
  id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
}

interface ClaimedMessage {
  id: string;
  partner_id: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
}

/** One partner's bulkhead: its claimed messages waiting for a slot, and its requests in flight. */
interface Lane {
  id: string;
  /** null once the partner is disabled or loses its URL. */
  target: PartnerTarget | null;
  queue: { msg: ClaimedMessage; lease: number }[];
  inFlight: number;
}

type Outcome = 'delivered' | 'retry' | 'failed' | 'disabled';

interface AttemptResult {
  msg: ClaimedMessage;
  lease: number;
  url: string;
  startedAt: number;
  send: SendResult;
  outcome: Outcome;
  nextAttemptAt: number;
}

/**
 * Delivers the outbox. Each pass claims due `webhook_messages` rows under a lease (so several
 * dispatchers, e.g. `npm start` and `npm run dispatcher`, can share one database), signs and
 * sends them with per-partner concurrency limits, and records every attempt in
 * `delivery_attempts` in batched transactions. A delivery is at-least-once: a crash between
 * send and record means the message is sent again after its lease lapses, with the same
 * `webhook-id` for the partner to dedupe.
 */
export class Dispatcher {
  /** Counters and time spent in the database, for benchmarks and operators. */
  readonly stats = {
    delivered: 0,
    retried: 0,
    failed: 0,
    attempts: 0,
    passes: 0,
    passMs: 0,
    flushes: 0,
    flushMs: 0,
  };
  private readonly o: Required<Omit<DispatcherOptions, 'resolve' | 'log' | 'exemptHosts'>> &
    Pick<DispatcherOptions, 'resolve' | 'log' | 'exemptHosts'>;
  /** Deliveries recorded per partner since start. */
  readonly deliveredTo = new Map<string, number>();
  private readonly agents = new Map<string, Agent>();
  private readonly lanes = new Map<string, Lane>();
  private partnersLoadedAt = Number.NEGATIVE_INFINITY;
  private dataVersion = -1;
  private woken = false;
  private inFlight = 0;
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private pendingResults: AttemptResult[] = [];
  private readonly idle = new Set<() => void>();
  private readonly stmts;

  constructor(options: DispatcherOptions) {
    const timeoutMs = options.timeoutMs ?? 15_000;
    this.o = {
      timeoutMs,
      partnerConcurrency: 16,
      maxInFlight: 512,
      pollMs: 10,
      // A claim may wait in its lane for one full round of requests before it is sent.
      leaseMs: 2 * timeoutMs + 5_000,
      partnerRefreshMs: 200,
      flushMs: 5,
      changeCheckMs: 2,
      jitter: 0.1,
      maxRetryAfterSec: 24 * 3600,
      now: Date.now,
      random: Math.random,
      ...options,
    };
    const db = this.o.sqlite;
    this.stmts = {
      partners: db.prepare<[], PartnerTarget>(
        `SELECT id, url, secret, previous_secret, previous_secret_expires_at
           FROM partners WHERE enabled = 1 AND url IS NOT NULL AND url <> ''`,
      ),
      // One statement claims a batch: atomic, so two dispatchers never both get a row.
      claim: db.prepare<[{ lease: number; now: number; partnerId: string; limit: number }], ClaimedMessage>(
        `UPDATE webhook_messages SET claimed_until = @lease
          WHERE id IN (SELECT id FROM webhook_messages
                        WHERE partner_id = @partnerId AND status = 'pending' AND next_attempt_at <= @now
                          AND (claimed_until IS NULL OR claimed_until < @now)
                        ORDER BY next_attempt_at LIMIT @limit)
          RETURNING id, partner_id, payload, attempts, next_attempt_at`,
      ),
      dataVersion: db.prepare('PRAGMA data_version'),
      release: db.prepare<[string, number]>(
        'UPDATE webhook_messages SET claimed_until = NULL WHERE id = ? AND claimed_until = ?',
      ),
      delivered: db.prepare<[number, number, number, string, number]>(
        `UPDATE webhook_messages SET status = 'delivered', attempts = ?, last_status_code = ?, last_error = NULL,
                delivered_at = ?, claimed_until = NULL
          WHERE id = ? AND claimed_until = ?`,
      ),
      retry: db.prepare<[string, number, number, number | null, string | null, string, number]>(
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
        `UPDATE partners SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?`,
      ),
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Stops claiming, waits for requests in flight (bounded by the timeout) and records them. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loopDone;
    for (const lane of this.lanes.values()) this.retire(lane);
    while (this.inFlight > 0) await new Promise<void>((r) => this.idle.add(r));
    this.flush();
    await Promise.all([...this.agents.values()].map((a) => a.close().catch(() => {})));
    this.agents.clear();
  }

  /** Look for due messages now (e.g. right after an order committed) instead of at the next poll. */
  kick(): void {
    this.wake();
  }

  /**
   * One claim pass: for each partner whose lane runs low, claim due messages (up to twice its
   * concurrency, so finished requests are replaced from memory without a database round trip),
   * then start what the lanes allow. Returns how many messages were claimed.
   */
  pass(): number {
    const started = performance.now();
    this.stats.passes++;
    const now = this.o.now();
    this.refreshPartners(now);
    const lease = now + this.o.leaseMs;
    const conc = this.o.partnerConcurrency;
    let claimed = 0;
    const wanted: { lane: Lane; room: number }[] = [];
    for (const lane of this.lanes.values()) {
      if (!lane.target) continue;
      const room = 4 * conc - lane.inFlight - lane.queue.length;
      // Claim in batches (one transaction for many messages): when the lane has room for at
      // least a full round, or is idle.
      if (room >= conc || (lane.queue.length === 0 && lane.inFlight < conc && room > 0)) {
        wanted.push({ lane, room });
      }
    }
    const batch = this.pendingResults;
    this.pendingResults = [];
    if (wanted.length > 0 || batch.length > 0) {
      // Results of finished attempts and the next claims share one commit: under load, a commit
      // every few ms carries hundreds of deliveries.
      const got: { lane: Lane; rows: ClaimedMessage[] }[] = [];
      try {
        this.o.sqlite
          .transaction(() => {
            got.length = 0;
            for (const r of batch) this.record(r, now);
            for (const { lane, room } of wanted) {
              got.push({ lane, rows: this.stmts.claim.all({ lease, now, partnerId: lane.id, limit: room }) });
            }
          })
          .immediate();
      } catch (e) {
        this.pendingResults = batch.concat(this.pendingResults);
        throw e;
      }
      // Only after the commit: a rolled-back claim must not be sent.
      for (const { lane, rows } of got) {
        rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at);
        for (const msg of rows) lane.queue.push({ msg, lease });
        claimed += rows.length;
      }
      this.count(batch);
    }
    this.stats.passMs += performance.now() - started;
    for (const lane of this.lanes.values()) this.pump(lane);
    return claimed;
  }

  private refreshPartners(now: number): void {
    if (now - this.partnersLoadedAt < this.o.partnerRefreshMs) return;
    this.partnersLoadedAt = now;
    const seen = new Set<string>();
    for (const target of this.stmts.partners.all()) {
      seen.add(target.id);
      const lane = this.lanes.get(target.id);
      if (lane) lane.target = target;
      else this.lanes.set(target.id, { id: target.id, target, queue: [], inFlight: 0 });
    }
    // Disabled, or URL removed: stop sending and hand its claimed-but-unsent messages back.
    for (const lane of this.lanes.values()) if (!seen.has(lane.id)) this.retire(lane);
  }

  private retire(lane: Lane): void {
    lane.target = null;
    if (lane.queue.length === 0) return;
    const queued = lane.queue.splice(0);
    this.o.sqlite
      .transaction(() => {
        for (const q of queued) this.stmts.release.run(q.msg.id, q.lease);
      })
      .immediate();
  }

  /** Starts queued messages while the lane and the global cap allow. */
  private pump(lane: Lane): void {
    const target = lane.target;
    if (!target) return;
    while (
      lane.inFlight < this.o.partnerConcurrency &&
      this.inFlight < this.o.maxInFlight &&
      lane.queue.length > 0
    ) {
      const next = lane.queue.shift()!;
      // Never send on a claim about to lapse: another dispatcher may take it over any moment.
      if (next.lease - this.o.now() < this.o.timeoutMs + 2000) {
        this.stmts.release.run(next.msg.id, next.lease);
        continue;
      }
      this.send(next.msg, lane, target, next.lease);
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = this.pass();
      } catch (e) {
        this.o.log?.(`dispatcher: claim failed: ${(e as Error).message}`);
      }
      if (!this.running) break;
      // Claimed something: more may be due; go again once I/O had its turn. With requests in
      // flight, come back after flushMs to record them; idle, after the poll interval or a kick.
      const busy = this.inFlight > 0 || this.pendingResults.length > 0;
      if (claimed > 0) await new Promise<void>((r) => setImmediate(r));
      else if (busy) await this.sleep(this.o.flushMs);
      else await this.idle_();
    }
  }

  /**
   * Idle wait: until another connection commits (an order wrote its outbox rows: SQLite's
   * `data_version` changes, checked every `changeCheckMs` for a few µs), a kick, or the poll
   * interval (retries falling due). New orders go out within milliseconds without a busy poll.
   */
  private async idle_(): Promise<void> {
    const until = this.o.now() + this.o.pollMs;
    this.woken = false;
    while (this.running && !this.woken && this.o.now() < until) {
      await this.sleep(Math.min(this.o.changeCheckMs, this.o.pollMs));
      const version = this.stmts.dataVersion.pluck().get() as number;
      if (version !== this.dataVersion) {
        this.dataVersion = version;
        return;
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(t);
        if (self.wakeUp === done) self.wakeUp = null;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private agentFor(partnerId: string): Agent {
    let agent = this.agents.get(partnerId);
    if (!agent) {
      agent = createDeliveryAgent({
        allowPrivate: this.o.allowPrivate,
        connections: this.o.partnerConcurrency,
        connectTimeoutMs: Math.min(10_000, this.o.timeoutMs),
        resolve: this.o.resolve,
        exemptHosts: new Set(this.o.exemptHosts ?? []),
      });
      this.agents.set(partnerId, agent);
    }
    return agent;
  }

  private send(msg: ClaimedMessage, lane: Lane, partner: PartnerTarget, lease: number): void {
    this.inFlight++;
    lane.inFlight++;
    const startedAt = this.o.now();
    const timestamp = Math.floor(startedAt / 1000);
    const secrets = liveSecrets(
      {
        secret: partner.secret,
        previousSecret: partner.previous_secret,
        previousSecretExpiresAt: partner.previous_secret_expires_at,
      },
      startedAt,
    );
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Tailorloop-Webhooks/1.0',
      'webhook-id': msg.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(secrets, msg.id, timestamp, msg.payload),
    };
    sendWebhook(this.agentFor(partner.id), partner.url, headers, msg.payload, this.o.timeoutMs, this.o.now)
      .then((send) => {
        const decision = this.decide(msg, send);
        if (decision.outcome === 'disabled') this.retire(lane);
        this.pendingResults.push({ msg, lease, url: partner.url, startedAt, send, ...decision });
      })
      .finally(() => {
        this.inFlight--;
        lane.inFlight--;
        if (this.inFlight === 0) {
          for (const r of this.idle) r();
          this.idle.clear();
        }
        if (this.running) this.pump(lane);
      });
  }

  /** What happens after this attempt: the retry policy in one place. */
  private decide(msg: ClaimedMessage, send: SendResult): { outcome: Outcome; nextAttemptAt: number } {
    const now = this.o.now();
    const code = send.statusCode;
    if (code !== null && code >= 200 && code < 300) return { outcome: 'delivered', nextAttemptAt: now };
    // 410 Gone: the partner says this endpoint is retired. Stop sending to it (operators re-enable)
    // but keep the message pending, so nothing is lost once a new URL is set.
    if (code === 410) return { outcome: 'disabled', nextAttemptAt: now };
    const attempt = msg.attempts + 1;
    const delaySec = this.o.retrySchedule[attempt - 1];
    if (delaySec === undefined) return { outcome: 'failed', nextAttemptAt: now };
    let delayMs: number;
    if (send.retryAfterSec !== null) {
      delayMs = Math.min(send.retryAfterSec, this.o.maxRetryAfterSec) * 1000;
    } else {
      delayMs = delaySec * 1000 * (1 + this.o.jitter * (2 * this.o.random() - 1));
    }
    return { outcome: 'retry', nextAttemptAt: now + Math.max(0, Math.round(delayMs)) };
  }

  /** Records every finished attempt in one transaction (one commit for many deliveries). */
  private flush(): void {
    if (this.pendingResults.length === 0) return;
    const batch = this.pendingResults;
    this.pendingResults = [];
    const started = performance.now();
    this.stats.flushes++;
    const now = this.o.now();
    try {
      this.o.sqlite
        .transaction(() => {
          for (const r of batch) this.record(r, now);
        })
        .immediate();
    } catch (e) {
      this.pendingResults = batch.concat(this.pendingResults);
      throw e;
    }
    this.stats.flushMs += performance.now() - started;
    this.count(batch);
  }

  private count(batch: AttemptResult[]): void {
    for (const r of batch) {
      this.stats.attempts++;
      if (r.outcome === 'delivered') {
        this.stats.delivered++;
        this.deliveredTo.set(r.msg.partner_id, (this.deliveredTo.get(r.msg.partner_id) ?? 0) + 1);
      } else if (r.outcome === 'failed') this.stats.failed++;
      else this.stats.retried++;
    }
  }

  private record(r: AttemptResult, now: number): void {
    const { msg, send } = r;
    const attempt = msg.attempts + 1;
    const error =
      send.error ??
      (send.statusCode !== null && (send.statusCode < 200 || send.statusCode >= 300)
        ? `HTTP ${send.statusCode}${send.statusCode >= 300 && send.statusCode < 400 ? ' (redirects are not followed)' : ''}`
        : null);
    this.stmts.attempt.run(
      msg.id,
      msg.partner_id,
      attempt,
      r.url,
      r.startedAt,
      send.durationMs,
      send.statusCode,
      error,
      send.responseSnippet,
      r.outcome,
    );
    switch (r.outcome) {
      case 'delivered':
        this.stmts.delivered.run(attempt, send.statusCode ?? 0, now, msg.id, r.lease);
        break;
      case 'disabled':
        this.stmts.retry.run('pending', attempt, now, send.statusCode, error, msg.id, r.lease);
        this.stmts.disable.run(
          `answered 410 Gone at ${new Date(now).toISOString()} (${r.url})`,
          now,
          msg.partner_id,
        );
        this.o.log?.(`dispatcher: partner ${msg.partner_id} answered 410 Gone; disabled`);
        break;
      case 'retry':
        this.stmts.retry.run('pending', attempt, r.nextAttemptAt, send.statusCode, error, msg.id, r.lease);
        break;
      case 'failed':
        this.stmts.retry.run('failed', attempt, now, send.statusCode, error, msg.id, r.lease);
        break;
    }
  }
}
