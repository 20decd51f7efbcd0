import type { AppDeps } from '../../deps';
import {
  type GridCell,
  LEVELS,
  type Level,
  NO_SIGNALS,
  type SatisfactionSignals,
  satisfactionGrid,
  satisfactionLevel,
  satisfactionScore,
  TREATMENTS,
  volumeLevel,
} from './grid';
import { deliveryStats, type SupplierLineFact, supplierQuality } from './partners';
import { type ComplaintFact, complaintSummary, type FeedbackFact, modulesAdjusted, perDay } from './service';
import { type CustomerTotals, DAY_MS, pareto, rfmScores, type ValueClass, valueClasses } from './value';

// The SQL behind the console's insights: a handful of GROUP BY queries over indexed columns,
// then the pure functions beside this file. Paid orders = not cancelled, not rejected, not a
// remake (a remake is free and is not revenue).

const PAID = `o.status NOT IN ('cancelled', 'rejected') AND NOT EXISTS (SELECT 1 FROM remakes r WHERE r.child_order_id = o.id)`;

export interface CustomerInsight {
  id: string;
  name: string;
  email: string;
  createdAt: string;
  orders: number;
  revenue: number;
  lastOrderAt: string | null;
  recencyDays: number | null;
  r: number;
  f: number;
  m: number;
  rfm: string;
  valueClass: ValueClass;
  volume: Level;
  satisfaction: Level;
  satisfactionScore: number;
  signals: SatisfactionSignals;
  treatment: string;
}

/** Every customer with value, RFM and grid placement, computed from the order history. */
export function customerInsights(deps: Pick<AppDeps, 'sqlite' | 'now'>) {
  const asOf = deps.now().getTime();
  const rows = deps.sqlite
    .prepare<
      [],
      {
        id: string;
        name: string;
        email: string;
        created_at: number;
        orders: number;
        revenue: number;
        last: number | null;
      }
    >(
      `SELECT c.id, c.name, c.email, c.created_at, count(o.id) AS orders, coalesce(sum(o.total), 0) AS revenue,
              max(o.created_at) AS last
         FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND ${PAID}
        GROUP BY c.id`,
    )
    .all();
  const signals = new Map<string, SatisfactionSignals>();
  const sig = (id: string) => {
    let s = signals.get(id);
    if (!s) signals.set(id, (s = { ...NO_SIGNALS }));
    return s;
  };
  for (const f of deps.sqlite
    .prepare<[], { customer_id: string; verdict: string; n: number }>(
      'SELECT customer_id, verdict, count(*) AS n FROM fit_feedback GROUP BY customer_id, verdict',
    )
    .all()) {
    if (f.verdict === 'right') sig(f.customer_id).feedbackRight += f.n;
    else sig(f.customer_id).feedbackOff += f.n;
  }
  for (const c of deps.sqlite
    .prepare<[], { customer_id: string; n: number; open: number }>(
      `SELECT customer_id, count(*) AS n, sum(status = 'open') AS open FROM complaints GROUP BY customer_id`,
    )
    .all()) {
    sig(c.customer_id).complaints += c.n;
    sig(c.customer_id).openComplaints += c.open;
  }
  for (const r of deps.sqlite
    .prepare<[], { customer_id: string; n: number }>(
      'SELECT customer_id, count(*) AS n FROM remakes GROUP BY customer_id',
    )
    .all())
    sig(r.customer_id).remakes += r.n;

  const totals: CustomerTotals[] = rows.map((r) => ({
    customerId: r.id,
    orders: r.orders,
    revenue: r.revenue,
    lastOrderAt: r.last,
  }));
  const rfm = new Map(rfmScores(totals, asOf).map((s) => [s.customerId, s]));
  const classes = valueClasses(totals);
  const customers: CustomerInsight[] = rows.map((r) => {
    const s = rfm.get(r.id)!;
    const valueClass = classes.get(r.id) ?? 'D';
    const signalsOf = signals.get(r.id) ?? NO_SIGNALS;
    const volume = volumeLevel(valueClass);
    const satisfaction = satisfactionLevel(signalsOf);
    return {
      id: r.id,
      name: r.name,
      email: r.email,
      createdAt: new Date(r.created_at).toISOString(),
      orders: r.orders,
      revenue: r.revenue,
      lastOrderAt: r.last === null ? null : new Date(r.last).toISOString(),
      recencyDays: s.recencyDays,
      r: s.r,
      f: s.f,
      m: s.m,
      rfm: s.rfm,
      valueClass,
      volume,
      satisfaction,
      satisfactionScore: Math.round(satisfactionScore(signalsOf) * 1000) / 1000,
      signals: signalsOf,
      treatment: TREATMENTS[volume][satisfaction].action,
    };
  });
  return { asOf, customers, totals };
}

/** The customers overview: classes, Pareto and the 3 x 3 grid (cells with a preview of customers). */
export function customersOverview(deps: Pick<AppDeps, 'sqlite' | 'now'>, preview = 5) {
  const { asOf, customers, totals } = customerInsights(deps);
  const p = pareto(totals);
  const revenue = p.totalRevenue;
  const classes = (['A', 'B', 'C', 'D'] as const).map((cls) => {
    const members = customers.filter((c) => c.valueClass === cls);
    const rev = members.reduce((s, c) => s + c.revenue, 0);
    return {
      valueClass: cls,
      customers: members.length,
      revenue: rev,
      revenueShare: revenue ? rev / revenue : 0,
      averageOrders: members.length ? members.reduce((s, c) => s + c.orders, 0) / members.length : 0,
    };
  });
  const byId = new Map(customers.map((c) => [c.id, c]));
  const grid = satisfactionGrid(
    customers.map((c) => ({ customerId: c.id, valueClass: c.valueClass, signals: c.signals })),
  ).map((cell: GridCell) => ({
    volume: cell.volume,
    satisfaction: cell.satisfaction,
    strategy: cell.treatment.strategy,
    treatment: cell.treatment.action,
    customers: cell.count,
    revenue: cell.customerIds.reduce((s, id) => s + (byId.get(id)?.revenue ?? 0), 0),
    preview: cell.customerIds
      .map((id) => byId.get(id)!)
      .sort((a, b) => b.revenue - a.revenue)
      .slice(0, preview)
      .map((c) => ({ id: c.id, name: c.name, revenue: c.revenue, valueClass: c.valueClass })),
  }));
  const currency = shopCurrency(deps);
  return {
    asOf: new Date(asOf).toISOString(),
    currency,
    customers: customers.length,
    activeCustomers: totals.filter((t) => t.orders > 0).length,
    revenue,
    classes,
    pareto: {
      topFraction: 0.2,
      topCustomers: p.topCount,
      topRevenue: p.topRevenue,
      topShare: p.topShare,
      curve: p.curve,
    },
    grid,
    levels: LEVELS,
  };
}

/**
 * The currency revenue is summed in. Orders are priced by the catalog and every product is in
 * one currency today; a shop that sells in several would need revenue per currency here.
 */
export function shopCurrency(deps: Pick<AppDeps, 'sqlite'>): string {
  return (
    deps.sqlite.prepare<[], { currency: string }>('SELECT currency FROM orders LIMIT 1').get()?.currency ??
    'USD'
  );
}

export interface CustomerListQuery {
  q?: string | undefined;
  valueClass?: ValueClass | undefined;
  volume?: Level | undefined;
  satisfaction?: Level | undefined;
  sort?: 'revenue' | 'orders' | 'recency' | 'name' | 'satisfaction' | undefined;
  order?: 'asc' | 'desc' | undefined;
  limit: number;
  offset: number;
}

export function listCustomerInsights(deps: Pick<AppDeps, 'sqlite' | 'now'>, query: CustomerListQuery) {
  let list = customerInsights(deps).customers;
  if (query.q) {
    const q = query.q.toLowerCase();
    list = list.filter((c) => c.name.toLowerCase().includes(q) || c.email.includes(q) || c.id === query.q);
  }
  if (query.valueClass) list = list.filter((c) => c.valueClass === query.valueClass);
  if (query.volume) list = list.filter((c) => c.volume === query.volume);
  if (query.satisfaction) list = list.filter((c) => c.satisfaction === query.satisfaction);
  const sort = query.sort ?? 'revenue';
  const dir = (query.order ?? (sort === 'name' || sort === 'recency' ? 'asc' : 'desc')) === 'asc' ? 1 : -1;
  const key = (c: CustomerInsight): number | string =>
    sort === 'revenue'
      ? c.revenue
      : sort === 'orders'
        ? c.orders
        : sort === 'recency'
          ? (c.recencyDays ?? Number.MAX_SAFE_INTEGER)
          : sort === 'satisfaction'
            ? c.satisfactionScore
            : c.name.toLowerCase();
  list.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return (x < y ? -1 : x > y ? 1 : 0) * dir || (a.id < b.id ? -1 : 1);
  });
  return {
    total: list.length,
    currency: shopCurrency(deps),
    items: list.slice(query.offset, query.offset + query.limit),
  };
}

/**
 * Suppliers' quality over the last `days` (orders placed in the window; what a supplier does
 * NOW is what operators act on) and every partner's delivery record over 24 h / 7 d.
 */
export function partnerInsights(
  deps: Pick<AppDeps, 'sqlite' | 'now'>,
  range: { days: number } = { days: 90 },
) {
  const now = deps.now().getTime();
  const from = now - range.days * DAY_MS;
  // Each line of an order placed in the window (the 2-year window is ~30,000 lines; joining in JS
  // through maps was the slow part). A rejected order is charged to the supplier that rejected it:
  // only its lines are `rejected`, the other suppliers' lines are `cancelled` (webhooks/inbound.ts).
  // The line's status is not in the covering index, so it is read by rowid, and only for the few
  // lines of rejected orders.
  const lines = deps.sqlite
    .prepare<[number], { orderId: string; supplierId: string; orderedAt: number; rejected: number }>(
      `SELECT o.id AS orderId, l.supplier_id AS supplierId, o.created_at AS orderedAt,
              CASE WHEN o.status = 'rejected'
                   THEN (SELECT x.status FROM order_lines x WHERE x.rowid = l.rowid) = 'rejected'
                   ELSE 0 END AS rejected
         FROM orders o
         JOIN order_lines l ON l.order_id = o.id
        WHERE o.created_at >= ?`,
    )
    .all(from);
  // When each supplier finished ITS lines: every applied production.completed (inbound_events) with
  // the timeline event it wrote in the same transaction (same order, time and partner), whose
  // line_ids are the lines it moved to produced. A mixed order's fast supplier is no longer charged
  // the slow one's time (the order reaches `produced` only when the last supplier is done).
  const completions = deps.sqlite
    .prepare<[number], { orderId: string; supplierId: string; at: number; lines: number }>(
      `SELECT ie.order_id AS orderId, ie.partner_id AS supplierId, e.at AS at,
              json_array_length(e.line_ids) AS lines
         FROM inbound_events ie
         JOIN order_events e ON e.order_id = ie.order_id AND e.at = ie.received_at
                            AND e.source = 'partner:' || ie.partner_id AND e.line_ids IS NOT NULL
        WHERE ie.event_type = 'production.completed' AND ie.outcome = 'applied' AND ie.received_at >= ?`,
    )
    .all(from);
  const remakeRows = deps.sqlite
    .prepare<[number], { supplier_id: string; reason: string }>(
      'SELECT supplier_id, reason FROM remakes WHERE created_at >= ?',
    )
    .all(from);
  const quality = supplierQuality(
    producedPerLine(lines, completions),
    remakeRows.map((r) => ({ supplierId: r.supplier_id, reason: r.reason })),
  );
  const partners = deps.sqlite
    .prepare<
      [],
      {
        id: string;
        name: string;
        kind: string;
        enabled: number;
        url: string | null;
        disabled_reason: string | null;
      }
    >('SELECT id, name, kind, enabled, url, disabled_reason FROM partners ORDER BY kind DESC, id')
    .all();
  const attempts = deps.sqlite
    .prepare<[number], { partner_id: string; started_at: number; duration_ms: number; outcome: string }>(
      'SELECT partner_id, started_at, duration_ms, outcome FROM delivery_attempts WHERE started_at > ?',
    )
    .all(now - 7 * DAY_MS);
  const delivery = deliveryStats(
    partners.map((p) => p.id),
    attempts.map((a) => ({
      partnerId: a.partner_id,
      startedAt: a.started_at,
      durationMs: a.duration_ms,
      outcome: a.outcome,
    })),
    now,
  );
  const failed = new Map(
    deps.sqlite
      .prepare<[], { partner_id: string; n: number }>(
        `SELECT partner_id, count(*) AS n FROM webhook_messages WHERE status = 'failed' GROUP BY partner_id`,
      )
      .all()
      .map((r) => [r.partner_id, r.n]),
  );
  const qualityById = new Map(quality.map((q) => [q.supplierId, q]));
  return {
    asOf: new Date(now).toISOString(),
    qualityFrom: new Date(from).toISOString(),
    partners: partners.map((p, i) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      enabled: p.enabled === 1,
      // Why it was switched off automatically (a 410), so the operator knows before re-enabling.
      disabledReason: p.disabled_reason,
      url: p.url,
      failedDeliveries: failed.get(p.id) ?? 0,
      delivery: { last24h: delivery[i]!.last24h, last7d: delivery[i]!.last7d },
      ...(p.kind === 'supplier' ? { quality: qualityById.get(p.id) ?? null } : {}),
    })),
  };
}

/**
 * Each line with when its supplier reported it produced. Lines of one supplier in one order differ
 * only in being rejected, so a supplier's completions there (earliest first, one time per line it
 * moved) are handed to its lines that were not rejected; the count is capped at its lines, in case
 * two of its events in that order share a millisecond and both matched.
 */
function producedPerLine(
  lines: ReadonlyArray<{ orderId: string; supplierId: string; orderedAt: number; rejected: number }>,
  completions: ReadonlyArray<{ orderId: string; supplierId: string; at: number; lines: number }>,
): SupplierLineFact[] {
  // Keyed by order id (a string SQLite hands over flat) with a tiny list per supplier: a key
  // concatenated per row cost most of the query's time over two years of lines.
  const byOrder = new Map<string, Array<{ supplierId: string; times: number[]; used: number }>>();
  for (const c of completions) {
    let mine = byOrder.get(c.orderId);
    if (!mine) byOrder.set(c.orderId, (mine = []));
    let entry = mine.find((e) => e.supplierId === c.supplierId);
    if (!entry) mine.push((entry = { supplierId: c.supplierId, times: [], used: 0 }));
    for (let i = 0; i < c.lines; i++) entry.times.push(c.at);
  }
  for (const mine of byOrder.values())
    for (const e of mine) if (e.times.length > 1) e.times.sort((a, b) => a - b);
  return lines.map((l) => {
    const rejected = l.rejected === 1;
    let producedAt: number | null = null;
    if (!rejected) {
      const entry = byOrder.get(l.orderId)?.find((e) => e.supplierId === l.supplierId);
      if (entry && entry.used < entry.times.length) producedAt = entry.times[entry.used++]!;
    }
    return { supplierId: l.supplierId, orderedAt: l.orderedAt, producedAt, rejected };
  });
}

/** Feedback and service over [from, to]: per-day series, first-contact resolution, adjusted modules. */
export function serviceInsights(deps: Pick<AppDeps, 'sqlite' | 'now'>, range: { days: number }) {
  const to = deps.now().getTime();
  const from = to - range.days * DAY_MS;
  const feedback: FeedbackFact[] = deps.sqlite
    .prepare<[number], { created_at: number; verdict: 'right' | 'adjust' }>(
      'SELECT created_at, verdict FROM fit_feedback WHERE created_at >= ?',
    )
    .all(from)
    .map((f) => ({ at: f.created_at, verdict: f.verdict }));
  const complaints: ComplaintFact[] = deps.sqlite
    .prepare<
      [number],
      { created_at: number; category: string; status: 'open' | 'resolved'; contacts: number }
    >('SELECT created_at, category, status, contacts FROM complaints WHERE created_at >= ?')
    .all(from)
    .map((c) => ({ at: c.created_at, category: c.category, status: c.status, contacts: c.contacts }));
  const adjustments = deps.sqlite
    .prepare<
      [],
      { product_id: string; module: string; from_option: string | null; to_option: string | null }
    >('SELECT product_id, module, from_option, to_option FROM fit_adjustments')
    .all()
    .map((a) => ({
      productId: a.product_id,
      module: a.module,
      ...(a.from_option !== null ? { from: a.from_option } : {}),
      ...(a.to_option !== null ? { to: a.to_option } : {}),
    }));
  const areaRows = deps.sqlite
    .prepare<[number], { product_id: string; answers: string }>(
      `SELECT product_id, answers FROM fit_feedback WHERE created_at >= ?`,
    )
    .all(from);
  const areas = new Map<
    string,
    { productId: string; area: string; answers: Record<string, number>; total: number }
  >();
  for (const row of areaRows) {
    for (const [area, answer] of Object.entries(JSON.parse(row.answers) as Record<string, string>)) {
      const key = `${row.product_id}/${area}`;
      let a = areas.get(key);
      if (!a) areas.set(key, (a = { productId: row.product_id, area, answers: {}, total: 0 }));
      a.answers[answer] = (a.answers[answer] ?? 0) + 1;
      a.total++;
    }
  }
  const { days, categories } = perDay(feedback, complaints, from, to);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    days,
    categories,
    feedback: {
      total: feedback.length,
      right: feedback.filter((f) => f.verdict === 'right').length,
      adjust: feedback.filter((f) => f.verdict === 'adjust').length,
    },
    complaints: complaintSummary(complaints),
    areas: [...areas.values()],
    modulesAdjusted: modulesAdjusted(adjustments),
  };
}
