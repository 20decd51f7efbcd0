import type Database from 'better-sqlite3';
import type { Agent } from 'undici';
import { createDeliveryAgent, type SendResult, startWebhook } from './http-client';
import { liveSecrets, signatureHeader } from './signing';
import type { Resolver } from './ssrf';
import {
  type AttemptRecord,
  type ClaimedMessage,
  type DeliveryStore,
  inlineStore,
  type Outcome,
  type PartnerTarget,
} from './store';

export interface DispatcherOptions {
  /**
   * Where claims and results are written: a `DeliveryStore`, or a better-sqlite3 connection used
   * on this event loop. Either way the dispatcher's OWN connection: its writes may run at
   * synchronous=NORMAL (decision 022).
   */
  store?: DeliveryStore;
  sqlite?: Database.Database;
  /** Seconds to wait after attempt 1, 2, ...; attempts = schedule length + 1. */
  retrySchedule: readonly number[];
  allowPrivate: boolean;
  /** Whole exchange per attempt (connect, headers, body). */
  timeoutMs?: number;
  /** In-flight requests per partner: the bulkhead that keeps a slow partner from holding up others. */
  partnerConcurrency?: number;
  /** In-flight requests overall. */
  maxInFlight?: number;
  /** How often an idle dispatcher looks for retries falling due. */
  pollMs?: number;
  /** How often an idle dispatcher checks whether another connection committed (new outbox rows). */
  changeCheckMs?: number;
  /** How long a claim is ours; a crashed dispatcher's claims become due again after it. */
  leaseMs?: number;
  /** How often partner URLs, flags and secrets are re-read (operators change them). */
  partnerRefreshMs?: number;
  /** While requests are in flight, results are recorded (and claims made) this often. */
  flushMs?: number;
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

/** One partner's bulkhead: its claimed messages waiting for a slot, and its requests in flight. */
interface Lane {
  id: string;
  /** null once the partner is disabled or loses its URL. */
  target: PartnerTarget | null;
  queue: { msg: ClaimedMessage; lease: number }[];
  inFlight: number;
  /** The last claim for this lane came back full: more may be due, so refill as soon as there is room. */
  moreDue: boolean;
  /** Moving average of this partner's attempt durations (ms): how fast a round turns over. */
  avgMs: number;
}

/**
 * Rounds of requests a lane claims ahead. A partner whose attempts take under FAST_MS turns four
 * rounds over in a few ms at loopback speed, so every tick carried only ~60 results and a claim
 * skipped as many rows still in flight; eight rounds halve the commits and the skipping per
 * delivery (store time per delivery 16.5 → 13 µs in the throughput benchmark). Slower partners keep
 * four: a claim must be sent within its lease, and a slow partner sends few rounds per lease.
 */
const ROUNDS_AHEAD = 4;
const ROUNDS_AHEAD_FAST = 8;
const FAST_MS = 50;

type Settings = Required<Omit<DispatcherOptions, 'resolve' | 'log' | 'exemptHosts' | 'store' | 'sqlite'>> &
  Pick<DispatcherOptions, 'resolve' | 'log' | 'exemptHosts'>;

/**
 * Delivers the outbox. Each tick records the attempts that finished and claims due
 * `webhook_messages` rows under a lease, in one commit (so several dispatchers, e.g. `npm start`
 * and `npm run dispatcher`, can share one database); claimed messages wait in their partner's
 * lane and are signed and sent as its concurrency allows. A delivery is at-least-once: a crash
 * between send and record means the message is sent again after its lease lapses, with the same
 * `webhook-id` for the partner to dedupe. See docs/decisions/020.
 */
export class Dispatcher {
  /** Counters and time spent waiting for the store, for benchmarks and operators. */
  readonly stats = { delivered: 0, retried: 0, failed: 0, attempts: 0, ticks: 0, tickMs: 0 };
  /** Deliveries recorded per partner since start. */
  readonly deliveredTo = new Map<string, number>();
  private readonly o: Settings;
  private readonly store: DeliveryStore;
  private readonly agents = new Map<string, Agent>();
  private readonly lanes = new Map<string, Lane>();
  private partnersLoadedAt = Number.NEGATIVE_INFINITY;
  private dataVersion = -1;
  private woken = false;
  private inFlight = 0;
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private pendingResults: AttemptRecord[] = [];
  private readonly idle = new Set<() => void>();

  constructor(options: DispatcherOptions) {
    const timeoutMs = options.timeoutMs ?? 15_000;
    const { store, sqlite, ...rest } = options;
    if (!store && !sqlite) throw new Error('Dispatcher needs a store or a sqlite connection');
    this.store = store ?? inlineStore(sqlite!);
    this.o = {
      timeoutMs,
      partnerConcurrency: 16,
      maxInFlight: 512,
      pollMs: 100,
      changeCheckMs: 2,
      // A claim may wait in its lane for one full round of requests before it is sent.
      leaseMs: 2 * timeoutMs + 5_000,
      partnerRefreshMs: 200,
      flushMs: 5,
      jitter: 0.1,
      maxRetryAfterSec: 24 * 3600,
      now: Date.now,
      random: Math.random,
      ...rest,
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
    const unsent: { id: string; lease: number }[] = [];
    for (const lane of this.lanes.values()) {
      for (const q of lane.queue.splice(0)) unsent.push({ id: q.msg.id, lease: q.lease });
    }
    await this.store.release(unsent).catch(() => {});
    while (this.inFlight > 0) await new Promise<void>((r) => this.idle.add(r));
    await this.tick(false).catch((e: Error) =>
      this.o.log?.(`dispatcher: last results not recorded: ${e.message}`),
    );
    await Promise.all([...this.agents.values()].map((a) => a.close().catch(() => {})));
    this.agents.clear();
    await this.store.close();
  }

  /** Look for due messages now (e.g. right after an order committed) instead of at the next poll. */
  kick(): void {
    this.wake();
  }

  /**
   * One tick: record finished attempts and, for each partner whose lane has room for a full
   * round, claim due messages (four or eight rounds ahead, see ROUNDS_AHEAD, so finished requests
   * are replaced from memory without waiting for the database), all in one commit; then start
   * what lanes allow.
   * Returns how many messages were claimed.
   */
  private async tick(claim = true): Promise<number> {
    const started = performance.now();
    this.stats.ticks++;
    const now = this.o.now();
    const lease = now + this.o.leaseMs;
    const conc = this.o.partnerConcurrency;
    const loadPartners = claim && now - this.partnersLoadedAt >= this.o.partnerRefreshMs;
    const wanted: Lane[] = [];
    const claims: { partnerId: string; limit: number }[] = [];
    if (claim) {
      for (const lane of this.lanes.values()) {
        if (!lane.target) continue;
        const rounds = lane.avgMs < FAST_MS ? ROUNDS_AHEAD_FAST : ROUNDS_AHEAD;
        const room = rounds * conc - lane.inFlight - lane.queue.length;
        if (room >= conc || (lane.queue.length === 0 && lane.inFlight < conc && room > 0)) {
          wanted.push(lane);
          claims.push({ partnerId: lane.id, limit: room });
        }
      }
    }
    const results = this.pendingResults;
    this.pendingResults = [];
    if (!loadPartners && claims.length === 0 && results.length === 0) return 0;
    let out: Awaited<ReturnType<DeliveryStore['tick']>>;
    try {
      out = await this.store.tick({ now, lease, results, claims, loadPartners });
    } catch (e) {
      this.pendingResults = results.concat(this.pendingResults);
      throw e;
    }
    this.stats.tickMs += performance.now() - started;
    this.count(results);
    let claimed = 0;
    // Only after the commit: a rolled-back claim must never be sent.
    out.claimed.forEach((rows, i) => {
      const lane = wanted[i]!;
      rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at);
      lane.moreDue = rows.length >= claims[i]!.limit;
      for (const msg of rows) lane.queue.push({ msg, lease });
      claimed += rows.length;
    });
    if (out.partners) {
      this.partnersLoadedAt = now;
      this.applyPartners(out.partners);
    }
    for (const lane of this.lanes.values()) this.pump(lane);
    return claimed;
  }

  private applyPartners(targets: PartnerTarget[]): void {
    const seen = new Set<string>();
    for (const target of targets) {
      seen.add(target.id);
      const lane = this.lanes.get(target.id);
      if (lane) lane.target = target;
      else
        this.lanes.set(target.id, {
          id: target.id,
          target,
          queue: [],
          inFlight: 0,
          moreDue: false,
          // Unknown speed: treated as slow until attempts show otherwise.
          avgMs: FAST_MS,
        });
    }
    // Disabled, or URL removed: stop sending and hand its claimed-but-unsent messages back.
    for (const lane of this.lanes.values()) if (!seen.has(lane.id)) this.retire(lane);
  }

  private retire(lane: Lane): void {
    lane.target = null;
    const queued = lane.queue.splice(0);
    if (queued.length === 0) return;
    this.store
      .release(queued.map((q) => ({ id: q.msg.id, lease: q.lease })))
      .catch((e: Error) => this.o.log?.(`dispatcher: release failed (the leases will lapse): ${e.message}`));
  }

  /** Starts queued messages while the lane and the global cap allow. */
  private pump(lane: Lane): void {
    const target = lane.target;
    if (!target) return;
    const stale: { id: string; lease: number }[] = [];
    while (
      lane.inFlight < this.o.partnerConcurrency &&
      this.inFlight < this.o.maxInFlight &&
      lane.queue.length > 0
    ) {
      const next = lane.queue.shift()!;
      // Never send on a claim about to lapse: another dispatcher may take it over any moment.
      if (next.lease - this.o.now() < this.o.timeoutMs + 2000) {
        stale.push({ id: next.msg.id, lease: next.lease });
        continue;
      }
      this.send(next.msg, lane, target, next.lease);
    }
    if (stale.length) this.store.release(stale).catch(() => {});
    if (this.refillDue(lane)) this.wake();
  }

  /**
   * Less than one round left in the lane's queue and its last claim came back full: tick now
   * instead of after flushMs. At loopback speed four rounds lasted ~4 ms, less than flushMs, and a
   * lane that ran dry idled until the next tick (the throughput benchmark averaged 16 of 32
   * requests in flight). Waiting for the last round keeps ~3 rounds of results per commit.
   */
  private refillDue(lane: Lane): boolean {
    return lane.moreDue && lane.target !== null && lane.queue.length < this.o.partnerConcurrency;
  }

  private anyRefillDue(): boolean {
    for (const lane of this.lanes.values()) if (this.refillDue(lane)) return true;
    return false;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.tick();
      } catch (e) {
        this.o.log?.(`dispatcher: tick failed, retrying: ${(e as Error).message}`);
        // No early refills while the store fails: finishing requests must not cut the back-off short.
        for (const lane of this.lanes.values()) lane.moreDue = false;
        await this.sleep(50);
      }
      if (!this.running) break;
      // A lane still has room and more is due: go again once I/O had its turn. With requests in
      // flight, come back after flushMs to record them (or sooner: a lane running low wakes the
      // loop, see refillDue); idle, when another connection commits, a kick, or the poll interval
      // (retries falling due).
      const busy = this.inFlight > 0 || this.pendingResults.length > 0;
      if (claimed > 0 && this.anyRefillDue()) await new Promise<void>((r) => setImmediate(r));
      else if (busy) await this.sleep(this.o.flushMs);
      else await this.waitForWork();
    }
  }

  /**
   * Idle wait: until another connection commits (an order wrote its outbox rows: SQLite's
   * `data_version` changes, checked every `changeCheckMs` for a few µs), a kick, or the poll
   * interval. New orders go out within milliseconds without a busy poll.
   */
  private async waitForWork(): Promise<void> {
    const until = this.o.now() + this.o.pollMs;
    this.woken = false;
    while (this.running && !this.woken && this.o.now() < until) {
      await this.sleep(Math.min(this.o.changeCheckMs, this.o.pollMs));
      const version = await this.store.dataVersion().catch(() => this.dataVersion);
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
    startWebhook(
      this.agentFor(partner.id),
      partner.url,
      headers,
      msg.payload,
      this.o.timeoutMs,
      (send) => this.finished(msg, lane, partner, lease, startedAt, send),
      this.o.now,
    );
  }

  /** One attempt finished: queue its record for the next tick's commit and start the next send. */
  private finished(
    msg: ClaimedMessage,
    lane: Lane,
    partner: PartnerTarget,
    lease: number,
    startedAt: number,
    send: SendResult,
  ): void {
    this.inFlight--;
    lane.inFlight--;
    lane.avgMs += (send.durationMs - lane.avgMs) / 8;
    try {
      const { outcome, nextAttemptAt } = this.decide(msg, send);
      if (outcome === 'disabled') {
        this.o.log?.(`dispatcher: partner ${msg.partner_id} answered 410 Gone; disabled`);
        this.retire(lane);
      }
      this.pendingResults.push({
        messageId: msg.id,
        partnerId: msg.partner_id,
        attempt: msg.attempts + 1,
        lease,
        url: partner.url,
        startedAt,
        durationMs: send.durationMs,
        statusCode: send.statusCode,
        error: describeFailure(send),
        responseSnippet: send.responseSnippet,
        outcome,
        nextAttemptAt,
      });
    } finally {
      if (this.inFlight === 0) {
        for (const r of this.idle) r();
        this.idle.clear();
      }
      if (this.running) this.pump(lane);
    }
  }

  /** What happens after this attempt: the retry policy in one place (docs/decisions/024). */
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
    const delayMs =
      send.retryAfterSec !== null
        ? Math.min(send.retryAfterSec, this.o.maxRetryAfterSec) * 1000
        : delaySec * 1000 * (1 + this.o.jitter * (2 * this.o.random() - 1));
    return { outcome: 'retry', nextAttemptAt: now + Math.max(0, Math.round(delayMs)) };
  }

  private count(batch: AttemptRecord[]): void {
    for (const r of batch) {
      this.stats.attempts++;
      if (r.outcome === 'delivered') {
        this.stats.delivered++;
        this.deliveredTo.set(r.partnerId, (this.deliveredTo.get(r.partnerId) ?? 0) + 1);
      } else if (r.outcome === 'failed') this.stats.failed++;
      else this.stats.retried++;
    }
  }
}

function describeFailure(send: SendResult): string | null {
  if (send.error) return send.error;
  const code = send.statusCode;
  if (code === null || (code >= 200 && code < 300)) return null;
  return `HTTP ${code}${code >= 300 && code < 400 ? ' (redirects are not followed)' : ''}`;
}
