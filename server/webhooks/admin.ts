import type Database from 'better-sqlite3';
import { writeTransaction } from '../db/client';
import type { AppDeps } from '../deps';
import { DomainError, type FieldError } from '../errors';
import { newWebhookSecret } from './secrets';
import { checkPartnerUrl, type Resolver } from './ssrf';

// Operator services for partners and the delivery log. Plain SQL on the driver: the shapes here
// are the admin API's, and each query is one statement.

interface PartnerRow {
  id: string;
  name: string;
  kind: 'supplier' | '3pl';
  url: string | null;
  enabled: number;
  disabled_reason: string | null;
  previous_secret_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** A partner as operators see it: never a secret. */
export function partnerView(p: PartnerRow, nowMs: number) {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    url: p.url,
    enabled: p.enabled === 1,
    disabledReason: p.disabled_reason,
    previousSecretExpiresAt:
      p.previous_secret_expires_at && p.previous_secret_expires_at > nowMs
        ? iso(p.previous_secret_expires_at)
        : null,
    createdAt: iso(p.created_at),
    updatedAt: iso(p.updated_at),
  };
}

const PARTNER_COLUMNS =
  'id, name, kind, url, enabled, disabled_reason, previous_secret_expires_at, created_at, updated_at';

export function listPartners(deps: Pick<AppDeps, 'sqlite' | 'now'>) {
  const now = deps.now().getTime();
  return deps.sqlite
    .prepare<[], PartnerRow>(`SELECT ${PARTNER_COLUMNS} FROM partners ORDER BY kind DESC, id`)
    .all()
    .map((p) => partnerView(p, now));
}

function getPartnerRow(sqlite: Database.Database, id: string): PartnerRow {
  const p = sqlite
    .prepare<[string], PartnerRow>(`SELECT ${PARTNER_COLUMNS} FROM partners WHERE id = ?`)
    .get(id);
  if (!p) throw new DomainError('not_found', `No partner ${id}`);
  return p;
}

export function getPartner(deps: Pick<AppDeps, 'sqlite' | 'now'>, id: string) {
  return partnerView(getPartnerRow(deps.sqlite, id), deps.now().getTime());
}

/** Fields of a partner that only the catalog sets: a PATCH may repeat them, never change them. */
const READ_ONLY = ['id', 'name', 'kind'] as const;

/**
 * The keys of a PATCH that are neither a partner field (what GET shows) nor the answer's own
 * `ignoredFields`: what a typo such as `enable` or `URL` turns into. CONTRACT allows extra fields,
 * so they stay accepted (200); the answer names them instead of passing over them in silence.
 */
function unknownFields(patch: Record<string, unknown>, view: Record<string, unknown>): string[] {
  return Object.keys(patch).filter((k) => k !== 'ignoredFields' && !Object.hasOwn(view, k));
}

/**
 * Changes a partner's URL and/or enabled flag. The URL is checked here (http(s), and no private
 * address unless allowed) and again at every connection by the dispatcher. Re-enabling clears
 * an automatic disable (410) and lets waiting deliveries go out; disabling keeps the reason of
 * an automatic one. `id`, `name` and `kind` may come along (the object GET returned, sent back
 * whole) and are ignored when they equal the partner's; a different value is 422 `read_only`.
 * Other keys are ignored too, and the answer lists the ones that are no partner field at all in
 * `ignoredFields` (absent when there are none).
 */
export async function updatePartner(
  deps: Pick<AppDeps, 'sqlite' | 'now' | 'env'>,
  id: string,
  patch: {
    url?: string | null;
    enabled?: boolean;
    id?: unknown;
    name?: unknown;
    kind?: unknown;
    [extra: string]: unknown;
  },
  resolve?: Resolver,
) {
  const current = getPartnerRow(deps.sqlite, id);
  const ignored = unknownFields(patch, partnerView(current, deps.now().getTime()));
  const readOnly: FieldError[] = READ_ONLY.filter(
    (f) => patch[f] !== undefined && patch[f] !== current[f],
  ).map((f) => ({
    path: f,
    code: 'read_only',
    message: `${f} is set by the catalog and cannot be changed (it is ${JSON.stringify(current[f])})`,
  }));
  if (readOnly.length > 0) {
    throw new DomainError(
      'validation_failed',
      `Read-only: ${readOnly.map((e) => e.path).join(', ')}; only url and enabled can be changed`,
      { errors: readOnly },
    );
  }
  let url: string | null | undefined = patch.url;
  // The URL the partner already has (the object GET returned, sent back) is left as it is, not
  // checked again: a URL saved under WEBHOOK_ALLOW_PRIVATE=1 must not make every later PATCH of
  // the partner a 422 (the dispatcher still checks the address at every connection).
  if (typeof url === 'string' && url.trim() === current.url) url = undefined;
  if (typeof url === 'string') {
    const check = await checkPartnerUrl(url.trim(), {
      allowPrivate: deps.env.WEBHOOK_ALLOW_PRIVATE,
      resolve,
    });
    if (!check.ok) {
      const errors: FieldError[] = [{ path: 'url', code: check.reason, message: check.message }];
      throw new DomainError('validation_failed', check.message, { errors });
    }
    url = check.url.href;
  }
  const now = deps.now().getTime();
  const sets: string[] = ['updated_at = @now'];
  if (url !== undefined) sets.push('url = @url');
  // Enabling clears why it was disabled; disabling again keeps the reason of a 410.
  if (patch.enabled !== undefined)
    sets.push(
      'enabled = @enabled',
      'disabled_reason = CASE WHEN @enabled = 1 THEN NULL ELSE disabled_reason END',
    );
  deps.sqlite
    .prepare(`UPDATE partners SET ${sets.join(', ')} WHERE id = @id`)
    .run({ id, now, url: url ?? null, enabled: patch.enabled ? 1 : 0 });
  const updated = getPartner(deps, id);
  return ignored.length > 0 ? { ...updated, ignoredFields: ignored } : updated;
}

/**
 * New secret, shown once. The old one keeps signing next to it (and keeps verifying the
 * partner's own requests) for the grace period, so the partner can switch without losing a
 * message; `graceSeconds: 0` revokes it at once (a leaked secret).
 */
export function rotateSecret(
  deps: Pick<AppDeps, 'sqlite' | 'now' | 'env'>,
  id: string,
  options: { graceSeconds?: number } = {},
) {
  getPartnerRow(deps.sqlite, id);
  const now = deps.now().getTime();
  const graceMs = Math.round((options.graceSeconds ?? deps.env.WEBHOOK_SECRET_GRACE_HOURS * 3600) * 1000);
  const secret = newWebhookSecret();
  deps.sqlite
    .prepare(
      `UPDATE partners SET previous_secret = CASE WHEN @grace > 0 THEN secret ELSE NULL END,
              previous_secret_expires_at = CASE WHEN @grace > 0 THEN @expires ELSE NULL END,
              secret = @secret, updated_at = @now
        WHERE id = @id`,
    )
    .run({ id, secret, now, grace: graceMs, expires: now + graceMs });
  return { secret, previousSecretExpiresAt: graceMs > 0 ? iso(now + graceMs) : null };
}

interface MessageRow {
  id: string;
  partner_id: string;
  event_type: string;
  order_id: string | null;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

/**
 * A delivery as operators see it. What it does not have yet (a status code before an answer or
 * after a timeout, a next attempt once it is settled, an error, a delivery time) is left out,
 * never `null`: CONTRACT.md writes `lastStatusCode?` and `nextAttemptAt?`, and a client typed
 * from it (`number | undefined`) rejects a `null`.
 */
function deliveryView(m: MessageRow) {
  return {
    id: m.id,
    partnerId: m.partner_id,
    eventType: m.event_type,
    orderId: m.order_id,
    status: m.status,
    attempts: m.attempts,
    ...(m.last_status_code !== null ? { lastStatusCode: m.last_status_code } : {}),
    ...(m.last_error !== null ? { lastError: m.last_error } : {}),
    ...(m.status === 'pending' ? { nextAttemptAt: iso(m.next_attempt_at) as string } : {}),
    createdAt: iso(m.created_at),
    ...(m.delivered_at !== null ? { deliveredAt: iso(m.delivered_at) as string } : {}),
  };
}

const MESSAGE_COLUMNS =
  'id, partner_id, event_type, order_id, status, attempts, next_attempt_at, last_status_code, last_error, created_at, delivered_at';

export interface DeliveryFilter {
  /** Any of these statuses. */
  status?: Array<'pending' | 'delivered' | 'failed'>;
  partnerId?: string;
  orderId?: string;
  eventType?: string;
  limit: number;
  /** Only rows created before this delivery (newest-first paging). */
  before?: string;
}

/** `column = @column` for every given value (column names are ours, never the caller's). */
function filters(values: Record<string, string | undefined>, limit: number) {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit };
  for (const [column, value] of Object.entries(values)) {
    if (value === undefined || value === '') continue;
    where.push(`${column} = @${column}`);
    params[column] = value;
  }
  return { where, params };
}

/** The delivery log, newest first, filterable by status, partner, order and event type. */
export function listDeliveries(deps: Pick<AppDeps, 'sqlite'>, f: DeliveryFilter) {
  const { where, params } = filters(
    { partner_id: f.partnerId, order_id: f.orderId, event_type: f.eventType },
    f.limit,
  );
  if (f.status?.length) {
    where.push(`status IN (${f.status.map((_, i) => `@status${i}`).join(', ')})`);
    f.status.forEach((s, i) => {
      params[`status${i}`] = s;
    });
  }
  if (f.before) {
    // An unknown cursor would read as an empty last page: say so instead.
    if (!deps.sqlite.prepare('SELECT 1 FROM webhook_messages WHERE id = ?').get(f.before))
      throw new DomainError('validation_failed', `No delivery ${f.before} to page before`, {
        errors: [{ path: 'before', code: 'unknown', message: `no delivery ${f.before}` }],
      });
    where.push('(created_at, id) < (SELECT created_at, id FROM webhook_messages WHERE id = @before)');
    params.before = f.before;
  }
  const sql = `SELECT ${MESSAGE_COLUMNS} FROM webhook_messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
               ORDER BY created_at DESC, id DESC LIMIT @limit`;
  return deps.sqlite.prepare<[Record<string, unknown>], MessageRow>(sql).all(params).map(deliveryView);
}

/** One delivery with its payload and every attempt. */
export function getDelivery(deps: Pick<AppDeps, 'sqlite'>, id: string) {
  const m = deps.sqlite
    .prepare<[string], MessageRow & { payload: string | null }>(
      `SELECT ${MESSAGE_COLUMNS}, (SELECT payload FROM webhook_payloads WHERE message_id = webhook_messages.id) AS payload
         FROM webhook_messages WHERE id = ?`,
    )
    .get(id);
  if (!m) throw new DomainError('not_found', `No delivery ${id}`);
  const attempts = deps.sqlite
    .prepare<
      [string],
      {
        attempt: number;
        url: string | null;
        started_at: number;
        duration_ms: number;
        status_code: number | null;
        error: string | null;
        response_snippet: string | null;
        outcome: string;
      }
    >(
      `SELECT attempt, url, started_at, duration_ms, status_code, error, response_snippet, outcome
         FROM delivery_attempts WHERE message_id = ? ORDER BY id`,
    )
    .all(id)
    .map((a) => ({
      attempt: a.attempt,
      at: iso(a.started_at),
      url: a.url,
      durationMs: a.duration_ms,
      statusCode: a.status_code,
      error: a.error,
      responseSnippet: a.response_snippet,
      outcome: a.outcome,
    }));
  return {
    ...deliveryView(m),
    payload: m.payload === null ? null : (JSON.parse(m.payload) as unknown),
    attemptLog: attempts,
  };
}

/**
 * Queues a delivery again (same webhook-id, a fresh round of retries), whatever its state: a
 * failed one after the partner fixed its endpoint, or a delivered one the partner lost.
 * A delivery a dispatcher holds right now (its claim is live: an attempt in flight, or about to
 * be) keeps that claim: clearing it let the next tick claim and send the same message beside the
 * attempt in flight, and dropped that attempt's result. The request is noted instead, and the
 * attempt's result applies it: a success stands (the partner has the message), anything else
 * starts the fresh round at once (docs/decisions/028).
 */
export function redeliver(deps: Pick<AppDeps, 'sqlite' | 'now'>, id: string) {
  const now = deps.now().getTime();
  const inFlight = writeTransaction(deps.sqlite, () => {
    const held = deps.sqlite
      .prepare(
        `UPDATE webhook_messages SET redeliver_requested_at = @now
          WHERE id = @id AND status = 'pending' AND claimed_until > @now`,
      )
      .run({ id, now });
    if (held.changes > 0) return true;
    const res = deps.sqlite
      .prepare(
        `UPDATE webhook_messages SET status = 'pending', attempts = 0, next_attempt_at = @now, claimed_until = NULL,
                delivered_at = NULL, redeliver_requested_at = NULL
          WHERE id = @id`,
      )
      .run({ id, now });
    if (res.changes === 0) throw new DomainError('not_found', `No delivery ${id}`);
    return false;
  });
  const d = getDelivery(deps, id);
  const partner = deps.sqlite
    .prepare<[string], { enabled: number; url: string | null }>(
      'SELECT enabled, url FROM partners WHERE id = ?',
    )
    .get(d.partnerId);
  const notes = [
    inFlight
      ? 'an attempt is in flight; unless it delivers, the fresh round starts as soon as it ends'
      : undefined,
    partner && (!partner.enabled || !partner.url)
      ? `partner ${d.partnerId} is ${partner.enabled ? 'without a URL' : 'disabled'}; it goes out once that is fixed`
      : undefined,
  ].filter((n) => n !== undefined);
  return {
    id: d.id,
    status: d.status,
    nextAttemptAt: d.nextAttemptAt,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

/** Events partners posted back, newest first. */
export function listInboundEvents(
  deps: Pick<AppDeps, 'sqlite'>,
  f: { partnerId?: string; orderId?: string; limit: number },
) {
  const { where, params } = filters({ partner_id: f.partnerId, order_id: f.orderId }, f.limit);
  return deps.sqlite
    .prepare<
      [Record<string, unknown>],
      {
        id: number;
        partner_id: string;
        webhook_id: string;
        event_type: string;
        order_id: string | null;
        payload: string;
        received_at: number;
        outcome: string;
        detail: string | null;
      }
    >(
      `SELECT id, partner_id, webhook_id, event_type, order_id, payload, received_at, outcome, detail FROM inbound_events
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`,
    )
    .all(params)
    .map((e) => ({
      id: e.id,
      partnerId: e.partner_id,
      webhookId: e.webhook_id,
      eventType: e.event_type,
      orderId: e.order_id,
      receivedAt: iso(e.received_at),
      outcome: e.outcome,
      detail: e.detail,
      payload: JSON.parse(e.payload) as unknown,
    }));
}
