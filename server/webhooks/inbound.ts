import type Database from 'better-sqlite3';
import { z } from 'zod';
import { writeTransaction } from '../db/client';
import type { AppDeps } from '../deps';
import { DomainError, zodFieldErrors } from '../errors';
import { decodeUtf8 } from '../http/problem';
import { newId } from '../services/ids';
import {
  canTransition,
  isOrderStatus,
  isPartnerEventType,
  type LineStatus,
  ORDER_TRANSITIONS,
  type OrderStatus,
  orderStatusFromLines,
  PARTNER_EVENTS,
  type PartnerEventType,
} from '../services/orders/lifecycle';
import { orderCancelled } from '../services/orders/payloads';
import { outboxWriter } from './outbox';
import { newWebhookSecret } from './secrets';
import { liveSecrets, verify } from './signing';

const httpUrl = z
  .string()
  .max(2000)
  .refine((s) => /^https?:\/\//i.test(s) && URL.canParse(s), 'must be an http(s) URL');

/** The body partners post back. Extra fields are allowed (and stored with the event). */
export const partnerEventSchema = z.object({
  type: z.string().min(1).max(100),
  timestamp: z.string().max(100).optional(),
  data: z
    .object({
      orderId: z.string().min(1).max(200),
      lineIds: z.array(z.string().min(1).max(200)).min(1).max(1000).optional(),
      reason: z.string().max(2000).optional(),
      carrier: z.string().min(1).max(200).optional(),
      trackingNumber: z.string().min(1).max(200).optional(),
      trackingUrl: httpUrl.optional(),
    })
    .passthrough(),
});
export type PartnerEvent = z.infer<typeof partnerEventSchema>;

export interface InboundResult {
  /** 'applied' moved something; 'ignored' was acknowledged and recorded, changing nothing. */
  outcome: 'applied' | 'ignored';
  duplicate: boolean;
  detail: string;
  orderId: string;
  orderStatus: OrderStatus | null;
}

interface PartnerRowLite {
  id: string;
  name: string;
  kind: 'supplier' | '3pl';
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
}

/**
 * `POST /api/partners/:partnerId/events`: verify the raw body with the partner's live secret(s),
 * then in ONE transaction dedupe by webhook-id, store the event and move the order forward.
 * Anything that would move it backwards (a late or repeated event) is stored as `ignored`.
 * Signature failures are 401, and so is an unknown partner id, the same way; the event is only
 * stored once it verified and parsed.
 */
export function receivePartnerEvent(
  deps: Pick<AppDeps, 'sqlite' | 'now'>,
  input: {
    partnerId: string;
    /** The body exactly as received (bytes), or as text for callers that have it so. */
    rawBody: string | Uint8Array;
    headers: { id?: string | null; timestamp?: string | null; signature?: string | null };
  },
): InboundResult {
  const partner = deps.sqlite
    .prepare<[string], PartnerRowLite>(
      'SELECT id, name, kind, secret, previous_secret, previous_secret_expires_at FROM partners WHERE id = ?',
    )
    .get(input.partnerId);
  const nowMs = deps.now().getTime();
  // An unknown partner id is answered exactly as a bad signature, after an HMAC of the same cost
  // with a secret nobody holds: neither the status, the body nor the time tells anyone which ids
  // exist. (A 404 here let anybody list them without a key.)
  const secrets = partner
    ? liveSecrets(
        {
          secret: partner.secret,
          previousSecret: partner.previous_secret,
          previousSecretExpiresAt: partner.previous_secret_expires_at,
        },
        nowMs,
      )
    : [NO_PARTNER_SECRET];
  const raw = input.rawBody;
  const bytes = typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const check = verify(secrets, input.headers, bytes, nowMs);
  if (!check.ok || !partner)
    throw new DomainError(
      'webhook_signature_invalid',
      SIGNATURE_MESSAGES[check.ok ? 'no_matching_signature' : check.reason],
    );
  const webhookId = input.headers.id as string;
  // A webhook-id already stored is answered as a duplicate before the body is looked at: a
  // repeat is 2xx with no second effect, whatever it carries this time (CONTRACT). Only signed
  // requests get here. (The transaction below checks again, for two copies racing.)
  const already = seenEvent(deps.sqlite, partner.id, webhookId);
  if (already) return already;

  const rawBody = typeof input.rawBody === 'string' ? input.rawBody : decodeUtf8(input.rawBody);
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (e) {
    throw new DomainError('malformed_json', (e as Error).message);
  }
  const parsed = partnerEventSchema.safeParse(json);
  if (!parsed.success) {
    throw new DomainError('validation_failed', 'The event is not valid', {
      errors: zodFieldErrors(parsed.error),
    });
  }
  const event = parsed.data;
  if (!isPartnerEventType(event.type)) {
    throw new DomainError('validation_failed', `Unknown event type ${event.type}`, {
      errors: [
        {
          path: 'type',
          code: 'unknown_event_type',
          message: `one of ${Object.keys(PARTNER_EVENTS).join(', ')}`,
        },
      ],
    });
  }
  const spec = PARTNER_EVENTS[event.type];
  if (spec.from !== partner.kind) {
    throw new DomainError(
      'validation_failed',
      `${event.type} comes from a ${spec.from}, and ${partner.id} is a ${partner.kind}`,
      {
        errors: [
          { path: 'type', code: 'wrong_partner_kind', message: `only a ${spec.from} sends ${event.type}` },
        ],
      },
    );
  }
  if (event.type === 'shipment.shipped' && (!event.data.carrier || !event.data.trackingNumber)) {
    throw new DomainError(
      'validation_failed',
      'shipment.shipped needs data.carrier and data.trackingNumber',
      {
        errors: [
          ...(!event.data.carrier
            ? [{ path: 'data.carrier', code: 'required', message: 'the carrier name' }]
            : []),
          ...(!event.data.trackingNumber
            ? [{ path: 'data.trackingNumber', code: 'required', message: 'the tracking number' }]
            : []),
        ],
      },
    );
  }

  return writeTransaction(deps.sqlite, () => {
    const seen = seenEvent(deps.sqlite, partner.id, webhookId);
    if (seen) return seen;
    const result = applyEvent(deps.sqlite, partner, event.type as PartnerEventType, event, nowMs);
    deps.sqlite
      .prepare(
        `INSERT INTO inbound_events (partner_id, webhook_id, event_type, order_id, payload, received_at, outcome, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        partner.id,
        webhookId,
        event.type,
        event.data.orderId,
        rawBody,
        nowMs,
        result.outcome,
        result.detail,
      );
    return { ...result, duplicate: false };
  });
}

/** The answer to a webhook-id this partner already sent: what the first one did, no new effect. */
function seenEvent(sqlite: Database.Database, partnerId: string, webhookId: string): InboundResult | null {
  const seen = sqlite
    .prepare<[string, string], { outcome: string; detail: string | null; order_id: string }>(
      'SELECT outcome, detail, order_id FROM inbound_events WHERE partner_id = ? AND webhook_id = ?',
    )
    .get(partnerId, webhookId);
  if (!seen) return null;
  return {
    outcome: seen.outcome === 'applied' ? 'applied' : 'ignored',
    duplicate: true,
    detail: `already received: ${seen.detail ?? ''}`,
    orderId: seen.order_id,
    orderStatus: currentOrderStatus(sqlite, seen.order_id),
  };
}

/** Verifies requests to a partner id that does not exist: random per process, never handed out. */
const NO_PARTNER_SECRET = newWebhookSecret();

const SIGNATURE_MESSAGES = {
  missing_headers: 'webhook-id, webhook-timestamp and webhook-signature headers are required',
  bad_timestamp: 'webhook-timestamp must be unix seconds',
  timestamp_out_of_tolerance: 'webhook-timestamp is more than 300 s away from our clock',
  no_matching_signature: 'No signature matches this body with the partner secret',
} as const;

function currentOrderStatus(sqlite: Database.Database, orderId: string): OrderStatus | null {
  const row = sqlite
    .prepare<[string], { status: string }>('SELECT status FROM orders WHERE id = ?')
    .get(orderId);
  return row && isOrderStatus(row.status) ? row.status : null;
}

interface LineRow {
  id: string;
  supplier_id: string;
  status: string;
}

/** Applies one verified partner event through the lifecycle table. Runs inside the transaction. */
function applyEvent(
  sqlite: Database.Database,
  partner: PartnerRowLite,
  type: PartnerEventType,
  event: PartnerEvent,
  nowMs: number,
): Omit<InboundResult, 'duplicate'> {
  const { orderId } = event.data;
  const order = sqlite
    .prepare<[string], { id: string; status: string; three_pl_id: string }>(
      'SELECT id, status, three_pl_id FROM orders WHERE id = ?',
    )
    .get(orderId);
  const lines = order
    ? sqlite
        .prepare<[string], LineRow>(
          'SELECT id, supplier_id, status FROM order_lines WHERE order_id = ? ORDER BY position',
        )
        .all(orderId)
    : [];
  // A partner sees only orders it was given: a supplier with lines in it, or the order's 3PL.
  const mine = partner.kind === 'supplier' ? lines.filter((l) => l.supplier_id === partner.id) : lines;
  if (
    !order ||
    !isOrderStatus(order.status) ||
    mine.length === 0 ||
    (partner.kind === '3pl' && order.three_pl_id !== partner.id)
  ) {
    throw new DomainError('not_found', `No order ${orderId} for partner ${partner.id}`);
  }
  let targets = mine;
  if (event.data.lineIds) {
    const known = new Set(mine.map((l) => l.id));
    const unknown = event.data.lineIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new DomainError(
        'validation_failed',
        `Lines not in this order for ${partner.id}: ${unknown.join(', ')}`,
        {
          errors: unknown.map((id) => ({
            path: 'data.lineIds',
            code: 'unknown_line',
            message: `${id} is not yours in this order`,
          })),
        },
      );
    }
    const wanted = new Set(event.data.lineIds);
    targets = mine.filter((l) => wanted.has(l.id));
  }

  const spec = PARTNER_EVENTS[type];
  const target: OrderStatus = spec.target;
  const from: OrderStatus = order.status;
  const changedLines: string[] = [];
  const lineStatus = new Map<string, LineStatus>(
    lines.map((l) => [l.id, (isOrderStatus(l.status) ? l.status : 'placed') as LineStatus]),
  );
  // A finished order (delivered, cancelled, rejected) takes no more line changes either.
  const orderOpen = ORDER_TRANSITIONS[from].length > 0;
  for (const l of orderOpen ? targets : []) {
    const s = lineStatus.get(l.id)!;
    if (s !== target && canTransition(s, target)) {
      lineStatus.set(l.id, target);
      changedLines.push(l.id);
    }
  }
  let next: OrderStatus = from;
  if (spec.scope === 'order') {
    if (from !== target && canTransition(from, target)) next = target;
  } else {
    next = orderStatusFromLines(from, [...lineStatus.values()]);
  }
  const orderChanges = next !== from;
  const isShipment = type === 'shipment.shipped';
  // A second parcel for an order already shipped is news (a shipment) though no status moves.
  const addsShipment = isShipment && (orderChanges || from === 'shipped');

  if (!orderChanges && changedLines.length === 0 && !addsShipment) {
    return {
      outcome: 'ignored',
      detail: `${type} would not move order ${orderId} forward from ${from}; recorded, nothing changed`,
      orderId,
      orderStatus: from,
    };
  }

  const setLine = sqlite.prepare('UPDATE order_lines SET status = ? WHERE id = ?');
  for (const id of changedLines) setLine.run(target, id);
  if (orderChanges)
    sqlite.prepare('UPDATE orders SET status = ?, updated_at = ? WHERE id = ?').run(next, nowMs, orderId);
  else sqlite.prepare('UPDATE orders SET updated_at = ? WHERE id = ?').run(nowMs, orderId);

  let detail = describe(type, partner, event, changedLines.length, targets.length);
  if (addsShipment) {
    const dup = sqlite
      .prepare('SELECT 1 FROM shipments WHERE order_id = ? AND tracking_number = ? AND carrier = ?')
      .get(orderId, event.data.trackingNumber, event.data.carrier);
    if (!dup) {
      sqlite
        .prepare(
          `INSERT INTO shipments (order_id, partner_id, carrier, tracking_number, tracking_url, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          orderId,
          partner.id,
          event.data.carrier,
          event.data.trackingNumber,
          event.data.trackingUrl ?? null,
          nowMs,
        );
    } else if (!orderChanges && changedLines.length === 0) {
      return {
        outcome: 'ignored',
        detail: `shipment ${event.data.trackingNumber} already recorded`,
        orderId,
        orderStatus: from,
      };
    }
  }
  // The event carries the ORDER's status after it, not the lines' target: a supplier finishing its
  // lines while another's are still being made leaves the order in production, and a `produced`
  // event there made the timeline run ahead of the order and then step back (in_production after
  // produced) when the next supplier accepted. The lines' progress is in the detail and lineIds.
  sqlite
    .prepare(
      'INSERT INTO order_events (order_id, status, at, detail, source, line_ids) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(
      orderId,
      next,
      nowMs,
      detail,
      `partner:${partner.id}`,
      spec.scope === 'lines' || event.data.lineIds
        ? JSON.stringify(changedLines.length ? changedLines : targets.map((l) => l.id))
        : null,
    );
  if (orderChanges && next === 'rejected') {
    // The other suppliers' lines not started yet will not be made now.
    for (const l of lines) {
      const s = lineStatus.get(l.id)!;
      if (l.supplier_id !== partner.id && canTransition(s, 'cancelled')) setLine.run('cancelled', l.id);
    }
    const told = cancelOthers(sqlite, orderId, partner.id, event.data.reason, nowMs);
    if (told.length) detail += `; order.cancelled sent to ${told.join(', ')}`;
  }
  return { outcome: 'applied', detail, orderId, orderStatus: next };
}

function describe(
  type: PartnerEventType,
  partner: PartnerRowLite,
  event: PartnerEvent,
  changed: number,
  of: number,
): string {
  const lines = of > 1 ? ` (${changed} of ${of} lines)` : '';
  switch (type) {
    case 'production.accepted':
      return `${partner.name} accepted the order for production${lines}`;
    case 'production.completed':
      return `${partner.name} finished making it${lines}`;
    case 'production.rejected':
      return `${partner.name} cannot make this order: ${event.data.reason?.trim() || 'no reason given'}`;
    case 'shipment.shipped':
      return `Shipped by ${partner.name} with ${event.data.carrier}, tracking ${event.data.trackingNumber}`;
    case 'shipment.delivered':
      return `Delivered (reported by ${partner.name})`;
  }
}

/**
 * A rejected order will not be made: everyone else already told of it hears `order.cancelled`,
 * through the outbox in this same transaction.
 */
function cancelOthers(
  sqlite: Database.Database,
  orderId: string,
  except: string,
  reason: string | undefined,
  nowMs: number,
) {
  const partners = sqlite
    .prepare<[string, string], { partner_id: string }>(
      `SELECT DISTINCT partner_id FROM webhook_messages
        WHERE order_id = ? AND partner_id <> ? AND event_type <> 'order.cancelled'`,
    )
    .all(orderId, except)
    .map((r) => r.partner_id);
  const outbox = outboxWriter(sqlite);
  const why = `rejected by ${except}${reason?.trim() ? `: ${reason.trim()}` : ''}`;
  for (const p of partners) {
    outbox.run({
      id: newId('msg'),
      partnerId: p,
      eventType: 'order.cancelled',
      orderId,
      payload: orderCancelled(new Date(nowMs), orderId, why),
      nextAttemptAt: nowMs,
      createdAt: nowMs,
    });
  }
  return partners;
}
