// Customer value: RFM scores, A/B/C/D value classes and the Pareto curve. Pure functions over
// per-customer totals (the SQL that produces them is in ./queries.ts), so they are tested on
// small hand-made histories with known answers. See docs/decisions/040-customer-value-tiers.md.

export const DAY_MS = 86_400_000;

/** One customer's order history, condensed (cancelled and rejected orders excluded, remakes too). */
export interface CustomerTotals {
  customerId: string;
  /** Number of paid orders. */
  orders: number;
  /** Sum of paid order totals, integer minor units. */
  revenue: number;
  /** Epoch ms of the last paid order, or null when there is none. */
  lastOrderAt: number | null;
}

export type ValueClass = 'A' | 'B' | 'C' | 'D';

export interface RfmScore {
  customerId: string;
  /** Whole days since the last order (null: never ordered). */
  recencyDays: number | null;
  frequency: number;
  monetary: number;
  /** 1..5 each, 5 = best (most recent, most orders, most revenue); 0 when there is no order. */
  r: number;
  f: number;
  m: number;
  /** `"545"`: R, F and M digits, the usual way marketers read it. */
  rfm: string;
}

/**
 * Quintile scores 1..5 by rank among customers who ordered at least once: equal values always
 * get the same score (ties take the score of their first rank), so the test answers are stable.
 */
function quintileScores(values: number[]): number[] {
  const n = values.length;
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const scores = new Array<number>(n).fill(0);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && order[j + 1]![0] === order[i]![0]) j++;
    const score = Math.min(5, Math.floor((i * 5) / n) + 1);
    for (let k = i; k <= j; k++) scores[order[k]![1]] = score;
    i = j + 1;
  }
  return scores;
}

/** RFM scores as of `asOf` (epoch ms). Customers who never ordered score 0/0/0. */
export function rfmScores(customers: readonly CustomerTotals[], asOf: number): RfmScore[] {
  const active = customers.filter((c) => c.orders > 0 && c.lastOrderAt !== null);
  // Recency: fewer days is better, so score the negated age.
  const r = quintileScores(active.map((c) => -(asOf - c.lastOrderAt!)));
  const f = quintileScores(active.map((c) => c.orders));
  const m = quintileScores(active.map((c) => c.revenue));
  const byId = new Map<string, { r: number; f: number; m: number }>();
  for (const [i, c] of active.entries()) byId.set(c.customerId, { r: r[i]!, f: f[i]!, m: m[i]! });
  return customers.map((c) => {
    const s = byId.get(c.customerId) ?? { r: 0, f: 0, m: 0 };
    return {
      customerId: c.customerId,
      recencyDays: c.lastOrderAt === null ? null : Math.floor((asOf - c.lastOrderAt) / DAY_MS),
      frequency: c.orders,
      monetary: c.revenue,
      ...s,
      rfm: `${s.r}${s.f}${s.m}`,
    };
  });
}

/** Cumulative revenue shares where classes A, B and C end (the rest is D). */
export interface ValueClassThresholds {
  a: number;
  b: number;
  c: number;
}
export const DEFAULT_CLASS_THRESHOLDS: ValueClassThresholds = { a: 0.5, b: 0.8, c: 0.95 };

/** Customers ranked by revenue, most first; ties broken by id so the ranking is deterministic. */
export function rankByRevenue<T extends { customerId: string; revenue: number }>(
  customers: readonly T[],
): T[] {
  return [...customers].sort(
    (x, y) =>
      y.revenue - x.revenue || (x.customerId < y.customerId ? -1 : x.customerId > y.customerId ? 1 : 0),
  );
}

/**
 * ABC(D) analysis by revenue: walk customers from the most valuable down; a customer is A while
 * the revenue BEFORE them is under 50% of the total (so the customer who crosses the line is
 * still A), B up to 80%, C up to 95%, D after that and everyone with no revenue.
 */
export function valueClasses(
  customers: readonly CustomerTotals[],
  thresholds: ValueClassThresholds = DEFAULT_CLASS_THRESHOLDS,
): Map<string, ValueClass> {
  const ranked = rankByRevenue(customers);
  const total = ranked.reduce((s, c) => s + c.revenue, 0);
  const out = new Map<string, ValueClass>();
  let before = 0;
  for (const c of ranked) {
    const share = total > 0 ? before / total : 1;
    const cls: ValueClass =
      c.revenue <= 0
        ? 'D'
        : share < thresholds.a
          ? 'A'
          : share < thresholds.b
            ? 'B'
            : share < thresholds.c
              ? 'C'
              : 'D';
    out.set(c.customerId, cls);
    before += c.revenue;
  }
  return out;
}

export interface ParetoResult {
  customers: number;
  totalRevenue: number;
  /** How many customers make the top 20% (rounded up, at least 1 when there is anyone). */
  topCount: number;
  topRevenue: number;
  /** Share of revenue from the top 20% of customers, 0..1. */
  topShare: number;
  /** The Lorenz-style curve: `customerShare` 0, 0.01 .. 1 → cumulative `revenueShare`, for the chart. */
  curve: { customerShare: number; revenueShare: number }[];
}

/** The Pareto numbers over every customer given (including those who never ordered). */
export function pareto(customers: readonly CustomerTotals[], topFraction = 0.2, points = 100): ParetoResult {
  const ranked = rankByRevenue(customers);
  const n = ranked.length;
  const cumulative = new Array<number>(n + 1).fill(0);
  for (let i = 0; i < n; i++) cumulative[i + 1] = cumulative[i]! + Math.max(0, ranked[i]!.revenue);
  const total = cumulative[n]!;
  const topCount = n === 0 ? 0 : Math.max(1, Math.ceil(n * topFraction - 1e-9));
  const topRevenue = cumulative[topCount]!;
  const curve: ParetoResult['curve'] = [];
  for (let p = 0; p <= points; p++) {
    const k = Math.round((p / points) * n);
    curve.push({ customerShare: p / points, revenueShare: total > 0 ? cumulative[k]! / total : 0 });
  }
  return {
    customers: n,
    totalRevenue: total,
    topCount,
    topRevenue,
    topShare: total > 0 ? topRevenue / total : 0,
    curve,
  };
}
