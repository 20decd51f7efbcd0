// Feedback and service: what customers tell us per day and category, how often a complaint is
// settled at the first contact, and which modules feedback moves most (which sizes run small).

import { DAY_MS } from './value';

export interface FeedbackFact {
  at: number;
  /** 'right' when every area was answered right, else 'adjust'. */
  verdict: 'right' | 'adjust';
}

export interface ComplaintFact {
  at: number;
  category: string;
  status: 'open' | 'resolved';
  /** How many contacts it took (1 = settled at the first contact). */
  contacts: number;
}

export interface DaySeries {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  feedbackRight: number;
  feedbackAdjust: number;
  complaints: Record<string, number>;
}

export function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * One entry per UTC day from `from` to `to` inclusive (days without anything are zeros, so a
 * chart's x axis is continuous); complaint counts keyed by category.
 */
export function perDay(
  feedback: readonly FeedbackFact[],
  complaints: readonly ComplaintFact[],
  from: number,
  to: number,
): { days: DaySeries[]; categories: string[] } {
  const days = new Map<string, DaySeries>();
  const start = Math.floor(from / DAY_MS) * DAY_MS;
  for (let t = start; t <= to; t += DAY_MS) {
    const day = dayKey(t);
    days.set(day, { day, feedbackRight: 0, feedbackAdjust: 0, complaints: {} });
  }
  for (const f of feedback) {
    const d = days.get(dayKey(f.at));
    if (!d) continue;
    if (f.verdict === 'right') d.feedbackRight++;
    else d.feedbackAdjust++;
  }
  const categories = new Set<string>();
  for (const c of complaints) {
    const d = days.get(dayKey(c.at));
    if (!d) continue;
    categories.add(c.category);
    d.complaints[c.category] = (d.complaints[c.category] ?? 0) + 1;
  }
  return { days: [...days.values()], categories: [...categories].sort() };
}

export interface ComplaintSummary {
  total: number;
  open: number;
  resolved: number;
  resolvedFirstContact: number;
  /** Resolved at the first contact, over all resolved complaints (null when none is resolved). */
  firstContactResolutionRate: number | null;
  byCategory: { category: string; total: number; open: number; resolvedFirstContact: number }[];
}

export function complaintSummary(complaints: readonly ComplaintFact[]): ComplaintSummary {
  const cats = new Map<
    string,
    { category: string; total: number; open: number; resolvedFirstContact: number }
  >();
  let open = 0;
  let resolved = 0;
  let first = 0;
  for (const c of complaints) {
    let k = cats.get(c.category);
    if (!k) cats.set(c.category, (k = { category: c.category, total: 0, open: 0, resolvedFirstContact: 0 }));
    k.total++;
    if (c.status === 'open') {
      open++;
      k.open++;
    } else {
      resolved++;
      if (c.contacts <= 1) {
        first++;
        k.resolvedFirstContact++;
      }
    }
  }
  return {
    total: complaints.length,
    open,
    resolved,
    resolvedFirstContact: first,
    firstContactResolutionRate: resolved ? first / resolved : null,
    byCategory: [...cats.values()].sort((a, b) => b.total - a.total || (a.category < b.category ? -1 : 1)),
  };
}

/** One module change of an ACCEPTED adjustment. */
export interface AdjustmentFact {
  productId: string;
  module: string;
  from?: string;
  to?: string;
}

export interface ModuleAdjustments {
  productId: string;
  module: string;
  count: number;
  /** The options customers most often moved away from (e.g. a size that runs small). */
  topFrom: { option: string; count: number }[];
}

/** Modules most often changed by accepted feedback proposals, most first. */
export function modulesAdjusted(changes: readonly AdjustmentFact[], topOptions = 5): ModuleAdjustments[] {
  const by = new Map<
    string,
    { productId: string; module: string; count: number; from: Map<string, number> }
  >();
  for (const c of changes) {
    const key = `${c.productId}/${c.module}`;
    let m = by.get(key);
    if (!m) by.set(key, (m = { productId: c.productId, module: c.module, count: 0, from: new Map() }));
    m.count++;
    if (c.from !== undefined) m.from.set(c.from, (m.from.get(c.from) ?? 0) + 1);
  }
  return [...by.values()]
    .sort((a, b) => b.count - a.count || (a.productId + a.module < b.productId + b.module ? -1 : 1))
    .map((m) => ({
      productId: m.productId,
      module: m.module,
      count: m.count,
      topFrom: [...m.from.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, topOptions)
        .map(([option, count]) => ({ option, count })),
    }));
}
