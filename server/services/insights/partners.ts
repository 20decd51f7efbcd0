// How well partners do their job: suppliers by the quality of what they make, every partner by
// how reliably its webhook endpoint takes our deliveries. Pure over rows the queries select.

import { DAY_MS } from './value';

/** One order line as the supplier saw it. */
export interface SupplierLineFact {
  supplierId: string;
  orderedAt: number;
  /** When the supplier reported it produced (null: not yet, or never). */
  producedAt: number | null;
  rejected: boolean;
}

/** A remake, charged to the supplier of the line it remakes. */
export interface RemakeFact {
  supplierId: string;
  reason: 'fit' | 'defect' | string;
}

export interface SupplierQuality {
  supplierId: string;
  lines: number;
  rejected: number;
  rejectionRate: number;
  remakes: number;
  remakesFit: number;
  remakesDefect: number;
  /** Remakes per line made. */
  remakeRate: number;
  produced: number;
  /** Days from order to produced: median and 90th percentile (null when nothing was produced). */
  daysToProducedP50: number | null;
  daysToProducedP90: number | null;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function supplierQuality(
  lines: readonly SupplierLineFact[],
  remakes: readonly RemakeFact[],
): SupplierQuality[] {
  const by = new Map<
    string,
    { lines: number; rejected: number; days: number[]; fit: number; defect: number; other: number }
  >();
  const get = (id: string) => {
    let s = by.get(id);
    if (!s) by.set(id, (s = { lines: 0, rejected: 0, days: [], fit: 0, defect: 0, other: 0 }));
    return s;
  };
  for (const l of lines) {
    const s = get(l.supplierId);
    s.lines++;
    if (l.rejected) s.rejected++;
    if (l.producedAt !== null) s.days.push((l.producedAt - l.orderedAt) / DAY_MS);
  }
  for (const r of remakes) {
    const s = get(r.supplierId);
    if (r.reason === 'fit') s.fit++;
    else if (r.reason === 'defect') s.defect++;
    else s.other++;
  }
  return [...by.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([supplierId, s]) => {
      const days = s.days.sort((a, b) => a - b);
      const p50 = percentile(days, 50);
      const p90 = percentile(days, 90);
      const remakesTotal = s.fit + s.defect + s.other;
      return {
        supplierId,
        lines: s.lines,
        rejected: s.rejected,
        rejectionRate: s.lines ? s.rejected / s.lines : 0,
        remakes: remakesTotal,
        remakesFit: s.fit,
        remakesDefect: s.defect,
        remakeRate: s.lines ? remakesTotal / s.lines : 0,
        produced: days.length,
        daysToProducedP50: p50 === null ? null : round2(p50),
        daysToProducedP90: p90 === null ? null : round2(p90),
      };
    });
}

/** One outbound webhook attempt. */
export interface AttemptFact {
  partnerId: string;
  startedAt: number;
  durationMs: number;
  /** delivered / retry / failed / disabled, as the dispatcher logged it. */
  outcome: string;
}

export interface DeliveryWindowStats {
  attempts: number;
  succeeded: number;
  /** Share of attempts that got a 2xx (null when there was no attempt). */
  successRate: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

export interface PartnerDeliveryStats {
  partnerId: string;
  last24h: DeliveryWindowStats;
  last7d: DeliveryWindowStats;
}

function windowStats(attempts: readonly AttemptFact[]): DeliveryWindowStats {
  const succeeded = attempts.filter((a) => a.outcome === 'delivered').length;
  const latencies = attempts.map((a) => a.durationMs).sort((a, b) => a - b);
  return {
    attempts: attempts.length,
    succeeded,
    successRate: attempts.length ? succeeded / attempts.length : null,
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
  };
}

/** Success rate and latency per partner over the last 24 hours and 7 days before `now`. */
export function deliveryStats(
  partnerIds: readonly string[],
  attempts: readonly AttemptFact[],
  now: number,
): PartnerDeliveryStats[] {
  return partnerIds.map((partnerId) => {
    const mine = attempts.filter((a) => a.partnerId === partnerId && a.startedAt <= now);
    return {
      partnerId,
      last24h: windowStats(mine.filter((a) => a.startedAt > now - DAY_MS)),
      last7d: windowStats(mine.filter((a) => a.startedAt > now - 7 * DAY_MS)),
    };
  });
}
