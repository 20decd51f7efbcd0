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
  readonly stats = { delivered: 0, retried: 0, failed: 0, attempts: 0 };
  private readonly o: Required<Omit<DispatcherOptions, 'resolve' | 'log' | 'exemptHosts'>> &
    Pick<DispatcherOptions, 'resolve' | 'log' | 'exemptHosts'>;
  private readonly agents = new Map<string, Agent>();
  private readonly inFlightByPartner = new Map<string, number>();
  private inFlight = 0;
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private pendingResults: AttemptResult[] = [];
  private flushScheduled = false;
  private readonly idle = new Set<() => void>();
  private readonly stmts;

  constructor(options: DispatcherOptions) {
    const timeoutMs = options.timeoutMs ?? 15_000;
    this.o = {
      timeoutMs,
      partnerConcurrency: 16,
      maxInFlight: 512,
      pollMs: 10,
      leaseMs: timeoutMs + 5_000,
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
      due: db.prepare<[string, number, number, number], ClaimedMessage>(
        `SELECT id, partner_id, payload, attempts FROM webhook_messages
          WHERE partner_id = ? AND status = 'pending' AND next_attempt_at <= ?
            AND (claimed_until IS NULL OR claimed_until < ?)
          ORDER BY next_attempt_at LIMIT ?`,
      ),
      claim: db.prepare<[number, string, number]>(
        `UPDATE webhook_messages SET claimed_until = ?
          WHERE id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)`,
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
    while (this.inFlight > 0) await new Promise<void>((r) => this.idle.add(r));
    this.flush();
    await Promise.all([...this.agents.values()].map((a) => a.close().catch(() => {})));
    this.agents.clear();
  }

  /** Look for due messages now (e.g. right after an order committed) instead of at the next poll. */
  kick(): void {
    this.wake();
  }

  /** One claim pass: for testing and for the loop. Returns how many messages were sent. */
  pass(): number {
    this.flush();
    const now = this.o.now();
    let free = this.o.maxInFlight - this.inFlight;
    if (free <= 0) return 0;
    const partners = this.stmts.partners.all();
    const claimed: { msg: ClaimedMessage; partner: PartnerTarget; lease: number }[] = [];
    const lease = now + this.o.leaseMs;
    this.o.sqlite
      .transaction(() => {
        for (const partner of partners) {
          const slots = Math.min(
            free,
            this.o.partnerConcurrency - (this.inFlightByPartner.get(partner.id) ?? 0),
          );
          if (slots <= 0) continue;
          for (const msg of this.stmts.due.all(partner.id, now, now, slots)) {
            if (this.stmts.claim.run(lease, msg.id, now).changes === 1) {
              claimed.push({ msg, partner, lease });
              free--;
            }
          }
        }
      })
      .immediate();
    for (const c of claimed) this.send(c.msg, c.partner, c.lease);
    return claimed.length;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let sent = 0;
      try {
        sent = this.pass();
      } catch (e) {
        this.o.log?.(`dispatcher: claim failed: ${(e as Error).message}`);
      }
      if (!this.running) break;
      // Claimed something: more may be due; go again once I/O had its turn. Otherwise sleep until
      // the poll interval, a kick, or a finished request frees a slot.
      await (sent > 0 ? new Promise<void>((r) => setImmediate(r)) : this.sleep(this.o.pollMs));
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

  private send(msg: ClaimedMessage, partner: PartnerTarget, lease: number): void {
    this.inFlight++;
    this.inFlightByPartner.set(partner.id, (this.inFlightByPartner.get(partner.id) ?? 0) + 1);
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
        this.pendingResults.push({
          msg,
          lease,
          url: partner.url,
          startedAt,
          send,
          ...this.decide(msg, send),
        });
        this.scheduleFlush();
      })
      .finally(() => {
        this.inFlight--;
        this.inFlightByPartner.set(partner.id, (this.inFlightByPartner.get(partner.id) ?? 1) - 1);
        if (this.inFlight === 0) {
          for (const r of this.idle) r();
          this.idle.clear();
        }
        this.wake();
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

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      try {
        this.flush();
      } catch (e) {
        this.o.log?.(`dispatcher: recording results failed, will retry: ${(e as Error).message}`);
        this.scheduleFlushLater();
      }
    });
  }

  private scheduleFlushLater(): void {
    setTimeout(() => this.scheduleFlush(), 50).unref?.();
  }

  /** Records every finished attempt in one transaction (one commit for many deliveries). */
  private flush(): void {
    if (this.pendingResults.length === 0) return;
    const batch = this.pendingResults;
    this.pendingResults = [];
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
    for (const r of batch) {
      this.stats.attempts++;
      if (r.outcome === 'delivered') this.stats.delivered++;
      else if (r.outcome === 'failed') this.stats.failed++;
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
