import { describe, expect, it } from 'vitest';
import { NO_SIGNALS, satisfactionGrid, satisfactionLevel, satisfactionScore, TREATMENTS } from './grid';
import { deliveryStats, percentile, supplierQuality } from './partners';
import { complaintSummary, modulesAdjusted, perDay } from './service';
import { type CustomerTotals, DAY_MS, pareto, rfmScores, valueClasses } from './value';

const T0 = Date.UTC(2026, 0, 31);

/** Ten customers c0..c9 with revenue 100, 200, ... 1000 and c9 ordering most recently. */
function tenCustomers(): CustomerTotals[] {
  return Array.from({ length: 10 }, (_, i) => ({
    customerId: `c${i}`,
    orders: i + 1,
    revenue: (i + 1) * 100,
    lastOrderAt: T0 - (10 - i) * DAY_MS,
  }));
}

describe('rfmScores', () => {
  it('scores quintiles 1..5 with 5 the best, and 0 for customers who never ordered', () => {
    const scores = rfmScores(
      [...tenCustomers(), { customerId: 'none', orders: 0, revenue: 0, lastOrderAt: null }],
      T0,
    );
    const by = new Map(scores.map((s) => [s.customerId, s]));
    expect(by.get('c9')).toMatchObject({ r: 5, f: 5, m: 5, rfm: '555', recencyDays: 1, frequency: 10 });
    expect(by.get('c0')).toMatchObject({ r: 1, f: 1, m: 1, rfm: '111', recencyDays: 10 });
    expect(by.get('c4')).toMatchObject({ r: 3, f: 3, m: 3 });
    expect(by.get('none')).toMatchObject({ r: 0, f: 0, m: 0, recencyDays: null });
  });

  it('gives equal values the same score', () => {
    const same = Array.from({ length: 5 }, (_, i) => ({
      customerId: `s${i}`,
      orders: 2,
      revenue: 500,
      lastOrderAt: T0,
    }));
    expect(new Set(rfmScores(same, T0).map((s) => s.rfm))).toEqual(new Set(['111']));
  });
});

describe('valueClasses', () => {
  it('splits by cumulative revenue: A to 50%, B to 80%, C to 95%, D the rest', () => {
    // Total 5500. Ranked: c9 1000 (before 0), c8 900 (1000 = 18%), c7 800 (34.5%), c6 700 (49.1%) → A;
    // c5 600 (61.8%), c4 500 (72.7%) → B; c3 400 (81.8%), c2 300 (89.1%) → C; c1 200 (94.5%) → C; c0 (98.2%) → D.
    const cls = valueClasses(tenCustomers());
    expect(['c9', 'c8', 'c7', 'c6'].map((id) => cls.get(id))).toEqual(['A', 'A', 'A', 'A']);
    expect(['c5', 'c4'].map((id) => cls.get(id))).toEqual(['B', 'B']);
    expect(['c3', 'c2', 'c1'].map((id) => cls.get(id))).toEqual(['C', 'C', 'C']);
    expect(cls.get('c0')).toBe('D');
  });

  it('puts customers without revenue in D', () => {
    const cls = valueClasses([
      { customerId: 'a', orders: 1, revenue: 100, lastOrderAt: T0 },
      { customerId: 'z', orders: 0, revenue: 0, lastOrderAt: null },
    ]);
    expect(cls.get('a')).toBe('A');
    expect(cls.get('z')).toBe('D');
  });
});

describe('pareto', () => {
  it('gives the revenue share of the top 20% of customers', () => {
    const p = pareto(tenCustomers());
    expect(p.topCount).toBe(2);
    expect(p.topRevenue).toBe(1900);
    expect(p.totalRevenue).toBe(5500);
    expect(p.topShare).toBeCloseTo(1900 / 5500, 10);
    expect(p.curve[0]).toEqual({ customerShare: 0, revenueShare: 0 });
    expect(p.curve.at(-1)).toEqual({ customerShare: 1, revenueShare: 1 });
    expect(p.curve[20]!.revenueShare).toBeCloseTo(1900 / 5500, 10);
  });

  it('is the classic 80/20 on a textbook history', () => {
    // 5 customers: one brings 80 of 100.
    const p = pareto(
      [80, 5, 5, 5, 5].map((revenue, i) => ({ customerId: `p${i}`, orders: 1, revenue, lastOrderAt: T0 })),
    );
    expect(p.topCount).toBe(1);
    expect(p.topShare).toBe(0.8);
  });

  it('handles nobody and no revenue', () => {
    expect(pareto([]).topShare).toBe(0);
    expect(pareto([{ customerId: 'x', orders: 0, revenue: 0, lastOrderAt: null }]).topShare).toBe(0);
  });
});

describe('satisfaction grid', () => {
  it('scores signals with a neutral prior', () => {
    expect(satisfactionScore(NO_SIGNALS)).toBe(0.5);
    expect(satisfactionLevel(NO_SIGNALS)).toBe('medium');
    expect(satisfactionLevel({ ...NO_SIGNALS, feedbackRight: 1 })).toBe('medium'); // exactly 2/3: one answer is not enough
    expect(satisfactionLevel({ ...NO_SIGNALS, feedbackRight: 2 })).toBe('high'); // 3/4
    expect(satisfactionLevel({ ...NO_SIGNALS, complaints: 1, openComplaints: 1 })).toBe('low'); // 1/3.5
    expect(satisfactionLevel({ ...NO_SIGNALS, complaints: 1 })).toBe('medium'); // settled: 1/2.5
    expect(satisfactionLevel({ ...NO_SIGNALS, feedbackRight: 4, remakes: 1 })).toBe('high'); // 5/7
    expect(satisfactionLevel({ ...NO_SIGNALS, feedbackOff: 1 })).toBe('low'); // 1/3
  });

  it('places each customer in one of nine cells with its treatment', () => {
    const grid = satisfactionGrid([
      { customerId: 'vip', valueClass: 'A', signals: { ...NO_SIGNALS, feedbackRight: 4 } },
      { customerId: 'angry-vip', valueClass: 'A', signals: { ...NO_SIGNALS, complaints: 2 } },
      { customerId: 'mid', valueClass: 'B', signals: NO_SIGNALS },
      { customerId: 'small', valueClass: 'D', signals: { ...NO_SIGNALS, remakes: 2 } },
    ]);
    expect(grid).toHaveLength(9);
    const cell = (v: string, s: string) => grid.find((c) => c.volume === v && c.satisfaction === s)!;
    expect(cell('high', 'high').customerIds).toEqual(['vip']);
    expect(cell('high', 'low').customerIds).toEqual(['angry-vip']);
    expect(cell('high', 'low').treatment.strategy).toBe('personal care');
    expect(cell('medium', 'medium').customerIds).toEqual(['mid']);
    expect(cell('medium', 'medium').treatment.strategy).toBe('improve');
    expect(cell('low', 'low').customerIds).toEqual(['small']);
    expect(cell('low', 'low').treatment.strategy).toBe('correct');
    expect(TREATMENTS.low.high.strategy).toBe('partner');
  });
});

describe('supplier quality', () => {
  it('counts rejections, remakes by reason and days to produced', () => {
    const q = supplierQuality(
      [
        { supplierId: 'w', orderedAt: 0, producedAt: 2 * DAY_MS, rejected: false },
        { supplierId: 'w', orderedAt: 0, producedAt: 4 * DAY_MS, rejected: false },
        { supplierId: 'w', orderedAt: 0, producedAt: 10 * DAY_MS, rejected: false },
        { supplierId: 'w', orderedAt: 0, producedAt: null, rejected: true },
        { supplierId: 's', orderedAt: 0, producedAt: null, rejected: false },
      ],
      [
        { supplierId: 'w', reason: 'fit' },
        { supplierId: 'w', reason: 'defect' },
        { supplierId: 'w', reason: 'fit' },
      ],
    );
    expect(q.map((s) => s.supplierId)).toEqual(['s', 'w']);
    expect(q[1]).toMatchObject({
      lines: 4,
      rejected: 1,
      rejectionRate: 0.25,
      remakes: 3,
      remakesFit: 2,
      remakesDefect: 1,
      remakeRate: 0.75,
      produced: 3,
      daysToProducedP50: 4,
      daysToProducedP90: 10,
    });
    expect(q[0]).toMatchObject({ lines: 1, daysToProducedP50: null });
  });

  it('nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 95)).toBe(4);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('delivery stats', () => {
  it('rates success and latency over 24 h and 7 d', () => {
    const now = 10 * DAY_MS;
    const s = deliveryStats(
      ['a', 'b'],
      [
        { partnerId: 'a', startedAt: now - 1000, durationMs: 100, outcome: 'delivered' },
        { partnerId: 'a', startedAt: now - 2000, durationMs: 300, outcome: 'retry' },
        { partnerId: 'a', startedAt: now - 3 * DAY_MS, durationMs: 200, outcome: 'delivered' },
        { partnerId: 'a', startedAt: now - 8 * DAY_MS, durationMs: 999, outcome: 'failed' },
      ],
      now,
    );
    expect(s[0]!.last24h).toEqual({
      attempts: 2,
      succeeded: 1,
      successRate: 0.5,
      latencyP50Ms: 100,
      latencyP95Ms: 300,
    });
    expect(s[0]!.last7d).toMatchObject({ attempts: 3, succeeded: 2, latencyP50Ms: 200 });
    expect(s[1]!.last7d).toEqual({
      attempts: 0,
      succeeded: 0,
      successRate: null,
      latencyP50Ms: null,
      latencyP95Ms: null,
    });
  });
});

describe('feedback and service', () => {
  it('counts per day and category with empty days present', () => {
    const d0 = Date.UTC(2026, 2, 1);
    const { days, categories } = perDay(
      [
        { at: d0 + 1000, verdict: 'right' },
        { at: d0 + 2000, verdict: 'adjust' },
        { at: d0 + 2 * DAY_MS, verdict: 'adjust' },
      ],
      [
        { at: d0 + 5, category: 'late', status: 'open', contacts: 1 },
        { at: d0 + 2 * DAY_MS + 5, category: 'damaged', status: 'resolved', contacts: 2 },
        { at: d0 + 2 * DAY_MS + 6, category: 'late', status: 'resolved', contacts: 1 },
      ],
      d0,
      d0 + 2 * DAY_MS,
    );
    expect(days.map((d) => d.day)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(days[0]).toEqual({
      day: '2026-03-01',
      feedbackRight: 1,
      feedbackAdjust: 1,
      complaints: { late: 1 },
    });
    expect(days[1]).toEqual({ day: '2026-03-02', feedbackRight: 0, feedbackAdjust: 0, complaints: {} });
    expect(days[2]!.complaints).toEqual({ damaged: 1, late: 1 });
    expect(categories).toEqual(['damaged', 'late']);
  });

  it('shares resolved at the first contact', () => {
    const s = complaintSummary([
      { at: 0, category: 'late', status: 'resolved', contacts: 1 },
      { at: 0, category: 'late', status: 'resolved', contacts: 3 },
      { at: 0, category: 'damaged', status: 'resolved', contacts: 1 },
      { at: 0, category: 'damaged', status: 'open', contacts: 1 },
      { at: 0, category: 'late', status: 'open', contacts: 2 },
    ]);
    expect(s).toMatchObject({ total: 5, open: 2, resolved: 3, resolvedFirstContact: 2 });
    expect(s.firstContactResolutionRate).toBeCloseTo(2 / 3, 10);
    expect(s.byCategory[0]).toEqual({ category: 'late', total: 3, open: 1, resolvedFirstContact: 1 });
  });

  it('ranks the modules feedback moves most, and the options moved away from', () => {
    const m = modulesAdjusted([
      { productId: 'jeans', module: 'size', from: 'w32-h40', to: 'w33-h41' },
      { productId: 'jeans', module: 'size', from: 'w32-h40', to: 'w33-h41' },
      { productId: 'jeans', module: 'size', from: 'w30-h38', to: 'w31-h39' },
      { productId: 'jeans', module: 'inseam', from: 'l30', to: 'l31' },
    ]);
    expect(m[0]).toEqual({
      productId: 'jeans',
      module: 'size',
      count: 3,
      topFrom: [
        { option: 'w32-h40', count: 2 },
        { option: 'w30-h38', count: 1 },
      ],
    });
    expect(m[1]!.module).toBe('inseam');
  });
});

describe('csv', () => {
  it('quotes separators and neutralises spreadsheet formulas', async () => {
    const { toCsv } = await import('./csv');
    const text = toCsv(
      [{ a: 'x,"y"', b: '=HYPERLINK("evil")', c: 3 }],
      [
        { header: 'a', value: (r) => r.a },
        { header: 'b', value: (r) => r.b },
        { header: 'c', value: (r) => r.c },
      ],
    );
    expect(text).toBe('a,b,c\r\n"x,""y""","\'=HYPERLINK(""evil"")",3\r\n');
  });
});
