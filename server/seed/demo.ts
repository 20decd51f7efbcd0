import type Database from 'better-sqlite3';
import {
  type Catalog,
  type CompiledProduct,
  type FitAnswer,
  price,
  routeOrder,
  type Selection,
  sampleConfiguration,
  specCode,
} from '../../catalog/index';
import { snapshotOptions } from '../services/catalog/configuration';
import { buildProposal } from '../services/feedback/feedback';
import { fulfillmentRequested, orderCancelled, type ShipTo } from '../services/orders/payloads';
import { remakeProductionPayload } from '../services/remakes/payload';
import { Draw, prng } from './random';

// The demo history behind `npm run seed:demo`: customers who sign up over two years and order
// with a heavy-tailed appetite (so the Pareto chart means something), every configuration drawn
// uniformly from the real catalog and priced and routed by the real engine, partners that are
// sometimes slow or down, fit feedback that follows a few hidden truths (small waists and raw
// selvedge run small, slim cuts without stretch are tight in the thigh), remakes within the
// policy limit, and complaints with their conversations. Everything is written in ONE
// transaction with prepared statements. Deterministic for a given seed and `now`.

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface SeedOptions {
  customers: number;
  orders: number;
  seed: number;
  /** Epoch ms the history ends at. */
  now: number;
  years: number;
  /** The password hash every demo customer gets (the CLI hashes "demo-password" once). */
  passwordHash: string;
  /** Remakes allowed per product per customer (the same policy as the API). */
  remakeLimit: number;
}

export interface SeedResult {
  customers: number;
  orders: number;
  remakeOrders: number;
  lines: number;
  specs: number;
  feedback: number;
  acceptedAdjustments: number;
  complaints: number;
  messages: number;
  failedMessages: number;
  attempts: number;
  revenue: number;
  ms: number;
}

const FIRST = [
  'Anna',
  'Ben',
  'Chloé',
  'David',
  'Emma',
  'Felix',
  'Greta',
  'Hiro',
  'Inès',
  'Jonas',
  'Kaito',
  'Lea',
  'Marco',
  'Nora',
  'Oskar',
  'Paula',
  'Quentin',
  'Rosa',
  'Sam',
  'Tariq',
  'Ulla',
  'Victor',
  'Wen',
  'Yara',
  'Zoe',
];
const LAST = [
  'Schmidt',
  'Martin',
  'de Vries',
  'Smith',
  'Rossi',
  'García',
  'Johnson',
  'Tanaka',
  'Brown',
  'Lindqvist',
  'Dubois',
  'Müller',
  'Jansen',
  'Wilson',
  'Sato',
  'Taylor',
  'Bianchi',
  'Lopez',
  'Nilsson',
  'Kowalski',
];
const COUNTRIES: Record<string, number> = {
  DE: 20,
  FR: 11,
  NL: 8,
  GB: 10,
  IT: 6,
  ES: 5,
  SE: 4,
  US: 20,
  CA: 6,
  JP: 5,
  AU: 5,
};
const CITIES: Record<string, string[]> = {
  DE: ['Berlin', 'Hamburg', 'München', 'Köln'],
  FR: ['Paris', 'Lyon', 'Marseille'],
  NL: ['Amsterdam', 'Utrecht', 'Rotterdam'],
  GB: ['London', 'Manchester', 'Leeds'],
  IT: ['Milano', 'Roma', 'Torino'],
  ES: ['Madrid', 'Barcelona', 'Valencia'],
  SE: ['Stockholm', 'Göteborg'],
  US: ['Portland', 'Austin', 'Brooklyn', 'Denver'],
  CA: ['Toronto', 'Montréal', 'Vancouver'],
  JP: ['Tokyo', 'Osaka', 'Kyoto'],
  AU: ['Sydney', 'Melbourne', 'Brisbane'],
};
const CARRIERS: Record<string, string> = { '3pl-eu': 'DHL', '3pl-na': 'UPS', '3pl-world': 'FedEx' };
/** Days from accepted to produced: the mill is slower, and its raw denim waits for the loom. */
const PRODUCTION_DAYS: Record<string, [number, number]> = {
  workshop: [4, 1.5],
  'selvedge-mill': [9, 3],
  shirtmaker: [6, 2],
};
const TRANSIT_DAYS: Record<string, [number, number]> = {
  '3pl-eu': [2, 4],
  '3pl-na': [3, 6],
  '3pl-world': [5, 11],
};
const REJECTION_RATE: Record<string, number> = { workshop: 0.012, 'selvedge-mill': 0.035, shirtmaker: 0.02 };
const DEFECT_RATE: Record<string, number> = { workshop: 0.012, 'selvedge-mill': 0.006, shirtmaker: 0.018 };
/** Typical webhook round trip per partner (ms, log-normal median). */
const LATENCY_MS: Record<string, number> = {
  workshop: 120,
  'selvedge-mill': 420,
  shirtmaker: 160,
  '3pl-eu': 90,
  '3pl-na': 210,
  '3pl-world': 380,
};
/** Seconds between attempts (the contract's default WEBHOOK_RETRY_SCHEDULE). */
const RETRY_SCHEDULE_S = [5, 300, 1800, 7200, 18000, 36000, 36000];

const COMMENTS: Record<string, string[]> = {
  too_tight: ['A bit tight after the first wash.', 'Snug when sitting down.', 'Tighter than my last pair.'],
  too_loose: ['Slightly roomy, I wear a belt.', 'A little loose for my taste.'],
  too_short: ['Could be a touch longer.', 'Shows a bit of ankle.'],
  too_long: ['Stacks a lot at the shoe.', 'A little long.'],
  right: ['Perfect fit, thank you!', 'Exactly like the last ones.', 'Great, fits like a glove.'],
};
const COMPLAINT_TEXT: Record<string, [string, string]> = {
  late: ['My order is taking longer than promised.', 'Apologised and shared the tracking; delivered since.'],
  damaged: ['The parcel arrived torn and the jeans have a mark.', 'Sent a replacement at no charge.'],
  wrong_item: ['I received the wrong wash.', 'Collected and remade with the right wash.'],
  fit: [
    'The fit is not right and I declined the suggested change.',
    'Booked a fit call and adjusted the spec.',
  ],
  quality: ['A seam came loose after two weeks.', 'Remade at no charge; supplier informed.'],
  billing: ['I was charged twice.', 'The second charge was a pre-authorisation; it was released.'],
  question: ['Can I change the shipping address?', 'Updated the address with the warehouse.'],
};

interface SpecState {
  id: string;
  productId: string;
  name: string;
  selection: Selection;
  version: number;
  createdAt: number;
  updatedAt: number;
  measurements: string | null;
}

interface Customer {
  id: string;
  email: string;
  name: string;
  createdAt: number;
  shipTo: ShipTo;
  likesShirts: number;
  specs: Map<string, SpecState>;
  remakes: Map<string, number>;
  /** Accepted adjustments waiting for their time, applied before any later order reads the spec. */
  pending: Array<{ at: number; productId: string; selection: Selection; feedback: FeedbackRow }>;
}

interface FeedbackRow {
  id: string;
  customer_id: string;
  order_id: string;
  line_id: string;
  product_id: string;
  spec_id: string | null;
  spec_version: number | null;
  answers: string;
  verdict: 'right' | 'adjust';
  comment: string | null;
  proposal: string | null;
  decision: 'none' | 'pending' | 'accepted' | 'declined';
  decided_at: number | null;
  result_spec_id: string | null;
  result_spec_version: number | null;
  created_at: number;
}

interface LinePlan {
  id: string;
  cp: CompiledProduct;
  selection: Selection;
  specId: string | null;
  supplierId: string;
  routeId: string;
  reason: string;
  unitPrice: number;
  priceLines: unknown;
  quantity: number;
}

interface Timeline {
  status: string;
  /**
   * A supplier's events carry what the inbound route records with them: the event type (for the
   * inbound_events row) and the lines they moved (order_events.line_ids).
   */
  events: Array<{
    status: string;
    at: number;
    detail: string | null;
    source: string;
    type?: 'production.accepted' | 'production.rejected' | 'production.completed';
    lineIds?: string[];
  }>;
  acceptedAt: number | null;
  producedAt: number | null;
  shippedAt: number | null;
  deliveredAt: number | null;
  cancelledAt: number | null;
  /** The supplier that rejected the order: its lines are `rejected`, the others' `cancelled`. */
  rejectedBy?: string;
}

function statements(db: Database.Database) {
  return {
    customer: db.prepare(
      'INSERT INTO customers (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    spec: db.prepare(
      `INSERT INTO specs (id, customer_id, name, product_id, selection, spec_code, measurements, catalog_version,
        labels, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    specVersion: db.prepare(
      `INSERT INTO spec_versions (spec_id, version, name, selection, spec_code, measurements, catalog_version, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    order: db.prepare(
      `INSERT INTO orders (id, customer_id, status, currency, total, ship_to, three_pl_id, three_pl_route,
        three_pl_reason, catalog_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    line: db.prepare(
      `INSERT INTO order_lines (id, order_id, position, product_id, product_name, product_version, spec_id, selection,
        spec_code, options, measurements, quantity, unit_price, price_lines, supplier_id, route_id, route_reason, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    event: db.prepare(
      'INSERT INTO order_events (order_id, status, at, detail, source, line_ids) VALUES (?, ?, ?, ?, ?, NULL)',
    ),
    lineEvent: db.prepare(
      'INSERT INTO order_events (order_id, status, at, detail, source, line_ids) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    inbound: db.prepare(
      `INSERT INTO inbound_events (partner_id, webhook_id, event_type, order_id, payload, received_at, outcome, detail)
       VALUES (?, ?, ?, ?, ?, ?, 'applied', ?)`,
    ),
    shipment: db.prepare(
      `INSERT INTO shipments (order_id, partner_id, carrier, tracking_number, tracking_url, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    message: db.prepare(
      `INSERT INTO webhook_messages (id, partner_id, event_type, order_id, status, attempts, next_attempt_at,
        last_status_code, last_error, created_at, delivered_at, claimed_until)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
    ),
    payload: db.prepare('INSERT INTO webhook_payloads (message_id, payload) VALUES (?, ?)'),
    attempt: db.prepare(
      `INSERT INTO delivery_attempts (message_id, partner_id, attempt, url, started_at, duration_ms, status_code,
        error, response_snippet, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    feedback: db.prepare(
      `INSERT INTO fit_feedback (id, customer_id, order_id, line_id, product_id, spec_id, spec_version, answers,
        verdict, comment, proposal, decision, decided_at, result_spec_id, result_spec_version, created_at)
       VALUES (@id, @customer_id, @order_id, @line_id, @product_id, @spec_id, @spec_version, @answers, @verdict,
        @comment, @proposal, @decision, @decided_at, @result_spec_id, @result_spec_version, @created_at)`,
    ),
    adjustment: db.prepare(
      `INSERT INTO fit_adjustments (feedback_id, product_id, module, from_option, to_option, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    remake: db.prepare(
      `INSERT INTO remakes (id, customer_id, product_id, parent_order_id, parent_line_id, child_order_id, supplier_id,
        reason, detail, feedback_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    complaint: db.prepare(
      `INSERT INTO complaints (id, customer_id, order_id, category, status, message, contacts, resolution,
        resolved_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    complaintMessage: db.prepare(
      'INSERT INTO complaint_messages (complaint_id, author, body, at) VALUES (?, ?, ?, ?)',
    ),
  };
}

/** Fills an empty (migrated, partners seeded) database with the demo history. */
export function seedDemo(sqlite: Database.Database, catalog: Catalog, options: SeedOptions): SeedResult {
  const started = performance.now();
  const draw = new Draw(prng(options.seed));
  const s = statements(sqlite);
  const { now } = options;
  const start = now - options.years * 365 * DAY;
  const jeans = catalog.products.get('jeans');
  const shirt = catalog.products.get('shirt');
  if (!jeans || !shirt) throw new Error('the demo needs the jeans and shirt products');
  const result: SeedResult = {
    customers: 0,
    orders: 0,
    remakeOrders: 0,
    lines: 0,
    specs: 0,
    feedback: 0,
    acceptedAdjustments: 0,
    complaints: 0,
    messages: 0,
    failedMessages: 0,
    attempts: 0,
    revenue: 0,
    ms: 0,
  };
  // The warehouse in Singapore was down for a day this week: its deliveries then failed for good.
  const outage = { partnerId: '3pl-world', from: now - 4 * DAY, to: now - 3 * DAY };

  // --- customers, and how many orders each places (heavy-tailed, scaled by time as a customer)
  const customers: Customer[] = [];
  const weights: number[] = [];
  for (let i = 0; i < options.customers; i++) {
    // More sign-ups lately: the shop grows.
    const createdAt = Math.round(start + (now - start - 2 * DAY) * Math.sqrt(draw.random()));
    const first = draw.pick(FIRST);
    const last = draw.pick(LAST);
    const country = draw.weighted(COUNTRIES);
    const name = i === 0 ? 'Demo Customer' : `${first} ${last}`;
    const email =
      i === 0
        ? 'demo@tailorloop.test'
        : `${first}.${last}.${i}`
            .toLowerCase()
            .normalize('NFD')
            .replace(/[^a-z0-9.]/g, '') + '@example.com';
    customers.push({
      id: draw.id('cus'),
      email,
      name,
      createdAt,
      shipTo: {
        name,
        line1: `${draw.int(1, 220)} ${draw.pick(['Main', 'Market', 'Canal', 'Station', 'Park'])} Street`,
        city: draw.pick(CITIES[country]!),
        postalCode: String(draw.int(10000, 99999)),
        country,
      },
      likesShirts: draw.pick([0.1, 0.3, 0.3, 0.5, 0.8]),
      specs: new Map(),
      remakes: new Map(),
      pending: [],
    });
    // 7% sign up and never buy.
    weights.push(
      draw.chance(0.07) && i !== 0 ? 0 : draw.logNormal(0, 0.95) * ((now - createdAt) / (now - start)),
    );
  }
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  // Largest remainder: exactly `options.orders` orders, proportional to weight.
  const quotas = weights.map((w) => (w / totalWeight) * options.orders);
  const counts = quotas.map(Math.floor);
  let missing = options.orders - counts.reduce((a, b) => a + b, 0);
  const byRemainder = quotas.map((q, i) => [q - Math.floor(q), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (missing-- <= 0) break;
    counts[i]!++;
  }
  if (counts[0]! < 4) counts[0] = 4;

  const plan: Array<{ customer: Customer; at: number }> = [];
  customers.forEach((c, i) => {
    const n = counts[i]!;
    if (n === 0) return;
    const first = c.createdAt + draw.uniform(0.01, 3) * DAY;
    plan.push({ customer: c, at: first });
    for (let k = 1; k < n; k++) plan.push({ customer: c, at: draw.uniform(first, now - 0.02 * DAY) });
  });
  plan.sort((a, b) => a.at - b.at);

  const labelsOf = (cp: CompiledProduct, sel: Selection) => JSON.stringify(snapshotOptions(cp, sel));
  const insertSpecVersion = (spec: SpecState, cp: CompiledProduct, at: number) =>
    s.specVersion.run(
      spec.id,
      spec.version,
      spec.name,
      JSON.stringify(spec.selection),
      specCode(cp, spec.selection),
      spec.measurements,
      cp.product.version,
      at,
    );
  const applyPending = (c: Customer, until: number) => {
    if (c.pending.length === 0) return;
    c.pending.sort((a, b) => a.at - b.at);
    while (c.pending.length && c.pending[0]!.at <= until) {
      const u = c.pending.shift()!;
      const spec = c.specs.get(u.productId);
      const cp = catalog.products.get(u.productId)!;
      if (!spec) continue;
      spec.version++;
      spec.selection = u.selection;
      spec.updatedAt = u.at;
      insertSpecVersion(spec, cp, u.at);
      u.feedback.result_spec_id = spec.id;
      u.feedback.result_spec_version = spec.version;
    }
  };
  const feedbackRows: FeedbackRow[] = [];

  const partnerName = new Map(catalog.partners.map((p) => [p.id, p.name]));
  /**
   * How partner events unfold for an order placed at `at` (only what happened before `now`). Each
   * supplier accepts and finishes its own lines, as the inbound route records it: the order is in
   * production from the first acceptance and produced when the last supplier is done.
   */
  const timeline = (
    at: number,
    linesOf: Map<string, string[]>,
    threePl: string,
    isRemake: boolean,
  ): Timeline => {
    const suppliers = [...linesOf.keys()];
    const events: Timeline['events'] = [
      {
        status: 'placed',
        at,
        detail: isRemake ? null : 'Order placed',
        source: isRemake ? 'system' : 'customer',
      },
    ];
    const t: Timeline = {
      status: 'placed',
      events,
      acceptedAt: null,
      producedAt: null,
      shippedAt: null,
      deliveredAt: null,
      cancelledAt: null,
    };
    if (!isRemake && draw.chance(0.025)) {
      const cancelAt = at + draw.uniform(0.02, 0.4) * HOUR * 10;
      if (cancelAt <= now) {
        events.push({
          status: 'cancelled',
          at: cancelAt,
          detail: 'Cancelled by the customer',
          source: 'customer',
        });
        t.status = 'cancelled';
        t.cancelledAt = cancelAt;
      }
      return t;
    }
    const acceptAt = at + draw.uniform(0.1, 1.5) * DAY;
    const rejecter = suppliers.find((sup) => draw.chance(REJECTION_RATE[sup] ?? 0.02));
    if (rejecter) {
      const rejectAt = acceptAt;
      if (rejectAt <= now) {
        events.push({
          status: 'rejected',
          at: rejectAt,
          detail: draw.pick([
            'Fabric out of stock',
            'Cannot make this combination this season',
            'Capacity full',
          ]),
          source: `partner:${rejecter}`,
          type: 'production.rejected',
        });
        t.status = 'rejected';
        t.rejectedBy = rejecter;
      }
      return t;
    }
    if (acceptAt > now) return t;
    const part = (sup: string) => {
      const n = linesOf.get(sup)!.length;
      return linesOf.size > 1 || n > 1 ? ` (${n} of ${n} lines)` : '';
    };
    for (const sup of suppliers)
      events.push({
        status: 'in_production',
        at: acceptAt,
        detail: `${partnerName.get(sup) ?? sup} accepted the order for production${part(sup)}`,
        source: `partner:${sup}`,
        type: 'production.accepted',
        lineIds: linesOf.get(sup)!,
      });
    t.status = 'in_production';
    t.acceptedAt = acceptAt;
    const finished = suppliers
      .map((sup) => {
        const [mean, sd] = PRODUCTION_DAYS[sup] ?? [6, 2];
        return { sup, at: acceptAt + Math.max(1, mean + sd * draw.normal()) * DAY };
      })
      .sort((a, b) => a.at - b.at);
    for (const [i, f] of finished.entries()) {
      if (f.at > now) return t;
      events.push({
        status: i === finished.length - 1 ? 'produced' : 'in_production',
        at: f.at,
        detail: `${partnerName.get(f.sup) ?? f.sup} finished making it${part(f.sup)}`,
        source: `partner:${f.sup}`,
        type: 'production.completed',
        lineIds: linesOf.get(f.sup)!,
      });
    }
    const produced = finished.at(-1)!.at;
    t.status = 'produced';
    t.producedAt = produced;
    const shipped = produced + draw.uniform(0.3, 1.6) * DAY;
    if (shipped > now) return t;
    events.push({ status: 'shipped', at: shipped, detail: null, source: `partner:${threePl}` });
    t.status = 'shipped';
    t.shippedAt = shipped;
    const [lo, hi] = TRANSIT_DAYS[threePl] ?? [3, 7];
    // One parcel in thirty gets stuck somewhere.
    const delivered =
      shipped + (draw.uniform(lo, hi) + (draw.chance(1 / 30) ? draw.uniform(5, 15) : 0)) * DAY;
    if (delivered > now) return t;
    events.push({ status: 'delivered', at: delivered, detail: null, source: `partner:${threePl}` });
    t.status = 'delivered';
    t.deliveredAt = delivered;
    return t;
  };

  /** One outbox message and its attempts, as the dispatcher would have left them. */
  const message = (partnerId: string, eventType: string, orderId: string, payload: string, at: number) => {
    const id = draw.id('msg');
    let attemptAt = at + draw.uniform(50, 900);
    let status: 'delivered' | 'failed' | 'pending' = 'pending';
    let attempts = 0;
    let lastCode: number | null = null;
    let lastError: string | null = null;
    let deliveredAt: number | null = null;
    let next = at;
    for (let k = 0; k <= RETRY_SCHEDULE_S.length; k++) {
      if (attemptAt > now) {
        next = attemptAt;
        break;
      }
      attempts++;
      const down =
        partnerId === outage.partnerId && attemptAt >= outage.from && attemptAt < outage.to + 2 * DAY;
      const firstFailed = partnerId === outage.partnerId && at >= outage.from && at < outage.to;
      const fails = firstFailed || (down && at >= outage.from) || draw.chance(0.025);
      const timeout = fails && draw.chance(0.3);
      const duration = timeout
        ? 15_000
        : Math.round(Math.min(14_000, draw.logNormal(Math.log(LATENCY_MS[partnerId] ?? 150), 0.45)));
      const code = fails ? (timeout ? null : firstFailed ? 503 : draw.pick([500, 502, 503, 429])) : 200;
      const last = k === RETRY_SCHEDULE_S.length;
      const outcome = !fails ? 'delivered' : last ? 'failed' : 'retry';
      s.attempt.run(
        id,
        partnerId,
        attempts,
        null,
        Math.round(attemptAt),
        duration,
        code,
        timeout ? 'timeout after 15000 ms' : null,
        fails ? (timeout ? null : 'Service Unavailable') : '{"ok":true}',
        outcome,
      );
      result.attempts++;
      lastCode = code;
      lastError = fails ? (timeout ? 'timeout after 15000 ms' : `HTTP ${code}`) : null;
      if (!fails) {
        status = 'delivered';
        deliveredAt = Math.round(attemptAt + duration);
        break;
      }
      if (last) {
        status = 'failed';
        break;
      }
      attemptAt += RETRY_SCHEDULE_S[k]! * 1000;
    }
    if (status === 'pending') {
      // Still retrying at `now`: leave it as delivered a moment ago so the demo has no backlog to
      // send to real partners; only the outage's definitive failures stay visible as failed.
      status = 'delivered';
      deliveredAt = Math.round(Math.min(now, next));
      lastCode = 200;
      lastError = null;
    }
    if (status === 'failed') result.failedMessages++;
    s.message.run(
      id,
      partnerId,
      eventType,
      orderId,
      status,
      attempts,
      Math.round(next),
      lastCode,
      lastError,
      Math.round(at),
      deliveredAt,
    );
    s.payload.run(id, payload);
    result.messages++;
  };

  /** Writes an order with its lines, timeline, shipment and outbox; returns what happened. */
  const writeOrder = (
    c: Customer,
    at: number,
    lines: Array<{ cp: CompiledProduct; selection: Selection; specId: string | null; quantity: number }>,
    remakeOf?: { orderId: string; lineId: string; reason: string; detail: string },
  ) => {
    const orderId = draw.id('ord');
    const routing = routeOrder(catalog.routing, {
      lines: lines.map((l) => ({ product: l.cp, selection: l.selection })),
      country: c.shipTo.country,
    });
    const planned: LinePlan[] = lines.map((l, i) => {
      const p = price(l.cp, l.selection);
      return {
        id: draw.id('line'),
        cp: l.cp,
        selection: l.selection,
        specId: l.specId,
        supplierId: routing.lines[i]!.partnerId,
        routeId: routing.lines[i]!.routeId,
        reason: routing.lines[i]!.reason,
        unitPrice: remakeOf ? 0 : p.total,
        priceLines: remakeOf ? [{ label: 'Remake at no charge', amount: 0 }] : p.lines,
        quantity: l.quantity,
      };
    });
    const total = planned.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
    const linesOf = new Map<string, string[]>();
    for (const l of planned) linesOf.set(l.supplierId, [...(linesOf.get(l.supplierId) ?? []), l.id]);
    const suppliers = [...linesOf.keys()];
    const tl = timeline(at, linesOf, routing.threePl.partnerId, !!remakeOf);
    if (remakeOf)
      tl.events[0]!.detail = `Remake of ${remakeOf.orderId} (${remakeOf.reason}): ${remakeOf.detail}`;
    const updatedAt = tl.events.at(-1)!.at;
    s.order.run(
      orderId,
      c.id,
      tl.status,
      lines[0]!.cp.product.currency,
      total,
      JSON.stringify(c.shipTo),
      routing.threePl.partnerId,
      routing.threePl.routeId,
      routing.threePl.reason,
      catalog.version,
      Math.round(at),
      Math.round(updatedAt),
    );
    planned.forEach((l, i) => {
      const options = snapshotOptions(l.cp, l.selection);
      s.line.run(
        l.id,
        orderId,
        i,
        l.cp.product.id,
        l.cp.product.name,
        l.cp.product.version,
        l.specId,
        JSON.stringify(l.selection),
        specCode(l.cp, l.selection),
        JSON.stringify(options),
        l.quantity,
        l.unitPrice,
        JSON.stringify(l.priceLines),
        l.supplierId,
        l.routeId,
        l.reason,
        // As the inbound route leaves a rejection: the other suppliers' lines are not made.
        tl.rejectedBy !== undefined && l.supplierId !== tl.rejectedBy ? 'cancelled' : tl.status,
      );
      result.lines++;
    });
    for (const e of tl.events) {
      const when = Math.round(e.at);
      s.lineEvent.run(
        orderId,
        e.status,
        when,
        e.detail,
        e.source,
        e.lineIds ? JSON.stringify(e.lineIds) : null,
      );
      if (e.type)
        s.inbound.run(
          e.source.slice('partner:'.length),
          draw.id('evt'),
          e.type,
          orderId,
          JSON.stringify({
            type: e.type,
            timestamp: new Date(when).toISOString(),
            data: {
              orderId,
              ...(e.lineIds ? { lineIds: e.lineIds } : {}),
              ...(e.type === 'production.rejected' ? { reason: e.detail } : {}),
            },
          }),
          when,
          e.detail,
        );
    }
    if (tl.shippedAt !== null) {
      const carrier = CARRIERS[routing.threePl.partnerId] ?? 'DHL';
      const tracking = `${carrier.slice(0, 2).toUpperCase()}${draw.int(100000000, 999999999)}`;
      s.shipment.run(
        orderId,
        routing.threePl.partnerId,
        carrier,
        tracking,
        `https://track.example/${carrier.toLowerCase()}/${tracking}`,
        Math.round(tl.shippedAt),
      );
    }
    // The outbox: production to each supplier, fulfilment to the 3PL, cancellation if any.
    const when = new Date(at);
    const payloadLines = planned.map((l) => ({
      lineId: l.id,
      productId: l.cp.product.id,
      specCode: specCode(l.cp, l.selection),
      quantity: l.quantity,
      supplierId: l.supplierId,
      options: snapshotOptions(l.cp, l.selection),
    }));
    for (const sup of suppliers)
      message(
        sup,
        'production.requested',
        orderId,
        remakeProductionPayload(
          when,
          { id: orderId, threePlId: routing.threePl.partnerId },
          payloadLines.filter((l) => l.supplierId === sup),
          remakeOf
            ? {
                parentOrderId: remakeOf.orderId,
                parentLineId: remakeOf.lineId,
                reason: remakeOf.reason,
                detail: remakeOf.detail,
              }
            : undefined,
        ),
        at,
      );
    message(
      routing.threePl.partnerId,
      'fulfillment.requested',
      orderId,
      fulfillmentRequested(when, { id: orderId, shipTo: c.shipTo }, payloadLines),
      at,
    );
    if (tl.cancelledAt !== null)
      for (const p of [...suppliers, routing.threePl.partnerId])
        message(
          p,
          'order.cancelled',
          orderId,
          orderCancelled(new Date(tl.cancelledAt), orderId, 'Cancelled by the customer'),
          tl.cancelledAt,
        );
    result.orders++;
    if (remakeOf) result.remakeOrders++;
    else result.revenue += total;
    return { orderId, lines: planned, tl, threePlId: routing.threePl.partnerId };
  };

  // Written as the live routes would have left it (services/complaints): `contacts` is the number
  // of customer messages (1 at opening, 1 per follow-up), and a resolved complaint's last message is
  // the operator's resolution at `resolved_at`. A conversation that `now` cuts short is still open
  // and counts only the messages written (it said "3 contacts" over one message).
  const complaint = (c: Customer, orderId: string, category: string, at: number, extraContacts = 0) => {
    if (at > now) return;
    const id = draw.id('cmp');
    const [ask, answer] = COMPLAINT_TEXT[category] ?? ['I have a question about my order.', 'Answered.'];
    const planned = Math.min(5, Number(draw.weighted({ '1': 0.66, '2': 0.23, '3': 0.11 })) + extraContacts);
    const age = now - at;
    const settles = age > 6 * DAY ? draw.chance(0.97) : age > DAY ? draw.chance(0.6) : draw.chance(0.2);
    let contacts = 0;
    let resolvedAt: number | null = null;
    let last = Math.round(at);
    let t = at;
    for (let k = 0; k < planned && t <= now; k++) {
      last = Math.round(t);
      s.complaintMessage.run(id, 'customer', k === 0 ? ask : 'Any news on this?', last);
      contacts++;
      t += draw.uniform(1, 20) * HOUR;
      if (t > now) break;
      const isLast = k === planned - 1;
      if (isLast && !settles) break;
      last = Math.round(t);
      s.complaintMessage.run(id, 'operator', isLast ? answer : 'We are looking into it.', last);
      if (isLast) resolvedAt = last;
      t += draw.uniform(4, 48) * HOUR;
    }
    s.complaint.run(
      id,
      c.id,
      orderId,
      category,
      resolvedAt !== null ? 'resolved' : 'open',
      ask,
      contacts,
      resolvedAt !== null ? answer : null,
      resolvedAt,
      Math.round(at),
      last,
    );
    result.complaints++;
  };

  /** Fit answers for a delivered line, following the hidden truths of the catalog. */
  const answersFor = (cp: CompiledProduct, sel: Selection): Record<string, FitAnswer> => {
    const out: Record<string, FitAnswer> = {};
    const attr = (moduleId: string, key: string) => {
      const m = cp.modules[cp.moduleIndex.get(moduleId) ?? -1];
      const i = m?.optionIndex.get(sel[moduleId] ?? '');
      return m && i !== undefined ? m.attrs[i]?.[key] : undefined;
    };
    const tightness = (pTight: number, pLoose: number): FitAnswer => {
      const r = draw.random();
      return r < pTight ? 'too_tight' : r < pTight + pLoose ? 'too_loose' : 'right';
    };
    const length = (pShort: number, pLong: number): FitAnswer => {
      const r = draw.random();
      return r < pShort ? 'too_short' : r < pShort + pLong ? 'too_long' : 'right';
    };
    if (cp.product.id === 'jeans') {
      const waist = attr('size', 'waist') ?? 34;
      const raw = (sel.fabric ?? '').startsWith('selvedge') && sel.wash === 'raw';
      const noStretch = sel.stretch === 'none';
      const closeFit = sel.fit === 'skinny' || sel.fit === 'slim';
      out.waist = tightness(0.06 + (waist <= 30 ? 0.22 : 0) + (raw ? 0.12 : 0), 0.05);
      out.hip = tightness(0.05 + (closeFit && noStretch ? 0.08 : 0), 0.04);
      out.thigh = tightness(0.04 + (closeFit && noStretch ? 0.22 : 0), 0.04);
      out.inseam = length(0.05 + (raw ? 0.18 : 0), 0.05);
    } else {
      out.collar = tightness(0.1, 0.04);
      out.chest = tightness(sel.fit === 'slim' ? 0.2 : 0.05, 0.05);
      out.sleeve = length(0.08, 0.05);
    }
    return out;
  };

  const afterDelivery = (
    c: Customer,
    order: ReturnType<typeof writeOrder>,
    line: LinePlan,
    deliveredAt: number,
  ) => {
    const productId = line.cp.product.id;
    let remadeForFit = false;
    if (line.specId && draw.chance(0.42)) {
      const at = deliveredAt + draw.uniform(0.5, 12) * DAY;
      if (at <= now) {
        const answers = answersFor(line.cp, line.selection);
        const off = Object.values(answers).filter((a) => a !== 'right');
        const spec = c.specs.get(productId)!;
        const row: FeedbackRow = {
          id: draw.id('fb'),
          customer_id: c.id,
          order_id: order.orderId,
          line_id: line.id,
          product_id: productId,
          spec_id: line.specId,
          spec_version: spec.version,
          answers: JSON.stringify(answers),
          verdict: off.length ? 'adjust' : 'right',
          comment: draw.chance(0.4) ? draw.pick(COMMENTS[off[0] ?? 'right']!) : null,
          proposal: null,
          decision: 'none',
          decided_at: null,
          result_spec_id: null,
          result_spec_version: null,
          created_at: Math.round(at),
        };
        feedbackRows.push(row);
        result.feedback++;
        if (off.length) {
          // Built and stored exactly as the live route does (what accept and remakes read back).
          const proposal = buildProposal(line.cp, line.selection, answers);
          const adj = { ...proposal, selection: proposal.after.selection };
          row.proposal = JSON.stringify(proposal);
          if (!adj.unchanged) {
            const decision =
              now - at < 10 * DAY && draw.chance(0.4)
                ? 'pending'
                : draw.weighted({ accepted: 0.72, declined: 0.28 });
            row.decision = decision;
            if (decision !== 'pending') row.decided_at = Math.round(at + draw.uniform(0.05, 30) * HOUR);
            if (decision === 'accepted' && row.decided_at! <= now) {
              c.pending.push({ at: row.decided_at!, productId, selection: adj.selection, feedback: row });
              for (const ch of adj.changes)
                s.adjustment.run(
                  row.id,
                  productId,
                  ch.module,
                  ch.from ?? null,
                  ch.to ?? null,
                  row.decided_at,
                );
              result.acceptedAdjustments++;
            } else if (decision === 'declined' && draw.chance(0.2)) {
              complaint(c, order.orderId, 'fit', row.decided_at! + HOUR);
            }
            // A bad fit (two areas off) often asks for a remake, within the policy limit.
            const used = c.remakes.get(productId) ?? 0;
            if (off.length >= 2 && used < options.remakeLimit && draw.chance(0.45)) {
              const remakeAt = at + draw.uniform(0.1, 2) * HOUR;
              c.remakes.set(productId, used + 1);
              remadeForFit = true;
              const detail = adj.summary[0] ?? 'fit';
              const child = writeOrder(
                c,
                remakeAt,
                [{ cp: line.cp, selection: adj.selection, specId: line.specId, quantity: 1 }],
                { orderId: order.orderId, lineId: line.id, reason: 'fit', detail },
              );
              s.remake.run(
                draw.id('rmk'),
                c.id,
                productId,
                order.orderId,
                line.id,
                child.orderId,
                line.supplierId,
                'fit',
                detail,
                row.id,
                Math.round(remakeAt),
              );
              s.event.run(
                order.orderId,
                'delivered',
                Math.round(remakeAt),
                `Remake ${child.orderId} requested (fit)`,
                'customer',
              );
            }
          }
        }
      }
    }
    if (!remadeForFit && draw.chance(DEFECT_RATE[line.supplierId] ?? 0.01)) {
      const at = deliveredAt + draw.uniform(2, 25) * DAY;
      const used = c.remakes.get(productId) ?? 0;
      if (at <= now && used < options.remakeLimit) {
        c.remakes.set(productId, used + 1);
        const detail = draw.pick([
          'Seam came loose',
          'Button missing',
          'Fabric flaw on the leg',
          'Wrong thread colour',
        ]);
        const child = writeOrder(
          c,
          at,
          [{ cp: line.cp, selection: line.selection, specId: line.specId, quantity: 1 }],
          {
            orderId: order.orderId,
            lineId: line.id,
            reason: 'defect',
            detail,
          },
        );
        s.remake.run(
          draw.id('rmk'),
          c.id,
          productId,
          order.orderId,
          line.id,
          child.orderId,
          line.supplierId,
          'defect',
          detail,
          null,
          Math.round(at),
        );
        s.event.run(
          order.orderId,
          'delivered',
          Math.round(at),
          `Remake ${child.orderId} requested (defect)`,
          'customer',
        );
        complaint(c, order.orderId, 'quality', at - HOUR);
      }
    }
  };

  // The history is ~120 MB of pages written in one transaction: a large page cache keeps SQLite
  // from spilling and re-reading them (halves the time), restored afterwards.
  const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma('cache_size = -262144');
  sqlite
    .transaction(() => {
      // Specs, feedback and adjustments are written when their story is complete; the foreign
      // keys are checked at commit instead of per row.
      sqlite.pragma('defer_foreign_keys = ON');
      for (const c of customers) {
        s.customer.run(c.id, c.email, c.name, options.passwordHash, Math.round(c.createdAt));
        result.customers++;
      }
      for (const { customer: c, at } of plan) {
        applyPending(c, at);
        const lineCount = draw.chance(0.14) ? 2 : 1;
        const lines: Array<{
          cp: CompiledProduct;
          selection: Selection;
          specId: string | null;
          quantity: number;
        }> = [];
        for (let k = 0; k < lineCount; k++) {
          const cp = draw.chance(c.likesShirts) ? shirt : jeans;
          let spec = c.specs.get(cp.product.id);
          let selection: Selection;
          let specId: string | null = null;
          if (spec && draw.chance(0.78)) {
            selection = spec.selection;
            specId = spec.id;
          } else {
            selection = sampleConfiguration(
              cp,
              draw.random,
              undefined,
              c.name.replace(/[^A-Z]/g, '').slice(0, 3) || 'A',
            )!;
            if (draw.chance(0.8)) delete selection.monogram;
            if (!spec) {
              spec = {
                id: draw.id('spec'),
                productId: cp.product.id,
                name: cp.product.id === 'jeans' ? 'My jeans' : 'My shirt',
                selection,
                version: 1,
                createdAt: at,
                updatedAt: at,
                measurements: null,
              };
              c.specs.set(cp.product.id, spec);
              insertSpecVersion(spec, cp, at);
              specId = spec.id;
              result.specs++;
            }
          }
          lines.push({ cp, selection, specId, quantity: draw.chance(0.06) ? 2 : 1 });
        }
        const order = writeOrder(c, at, lines);
        // Service questions arrive whatever happens next.
        if (draw.chance(0.012)) complaint(c, order.orderId, 'question', at + draw.uniform(1, 30) * HOUR);
        if (draw.chance(0.004)) complaint(c, order.orderId, 'billing', at + draw.uniform(1, 72) * HOUR);
        const { tl } = order;
        if (
          tl.shippedAt !== null &&
          tl.deliveredAt === null &&
          now - tl.shippedAt > 9 * DAY &&
          draw.chance(0.6)
        )
          complaint(c, order.orderId, 'late', tl.shippedAt + 9 * DAY, 1);
        if (tl.deliveredAt === null) continue;
        if (tl.deliveredAt - at > 16 * DAY && draw.chance(0.35))
          complaint(c, order.orderId, 'late', at + 14 * DAY);
        if (draw.chance(0.008))
          complaint(c, order.orderId, 'damaged', tl.deliveredAt + draw.uniform(1, 30) * HOUR, 1);
        if (draw.chance(0.003))
          complaint(c, order.orderId, 'wrong_item', tl.deliveredAt + draw.uniform(1, 30) * HOUR);
        for (const line of order.lines) afterDelivery(c, order, line, tl.deliveredAt);
      }
      for (const c of customers) {
        applyPending(c, now);
        for (const spec of c.specs.values()) {
          const cp = catalog.products.get(spec.productId)!;
          s.spec.run(
            spec.id,
            c.id,
            spec.name,
            spec.productId,
            JSON.stringify(spec.selection),
            specCode(cp, spec.selection),
            spec.measurements,
            cp.product.version,
            labelsOf(cp, spec.selection),
            spec.version,
            Math.round(spec.createdAt),
            Math.round(spec.updatedAt),
          );
        }
      }
      for (const row of feedbackRows) s.feedback.run(row);
    })
    .immediate();
  sqlite.pragma(`cache_size = ${cacheSize}`);
  result.ms = Math.round(performance.now() - started);
  return result;
}
