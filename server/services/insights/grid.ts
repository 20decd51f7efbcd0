// The 3 x 3 grid of purchase volume against satisfaction, each cell with what to do about it.
// Volume comes from the value class (A = high, B = medium, C/D = low) so the grid and the tiers
// never disagree; satisfaction from what the customer told us (fit feedback, complaints, remakes).
// See docs/decisions/041-satisfaction-grid.md.

import type { ValueClass } from './value';

export type Level = 'high' | 'medium' | 'low';
export const LEVELS: readonly Level[] = ['high', 'medium', 'low'];

/** What one customer told us, counted. */
export interface SatisfactionSignals {
  /** Fit feedback where every area was answered "right". */
  feedbackRight: number;
  /** Fit feedback where at least one area was off. */
  feedbackOff: number;
  complaints: number;
  /** Complaints still open (not resolved). */
  openComplaints: number;
  remakes: number;
}

export const NO_SIGNALS: SatisfactionSignals = {
  feedbackRight: 0,
  feedbackOff: 0,
  complaints: 0,
  openComplaints: 0,
  remakes: 0,
};

/** Weight of the neutral prior: a customer with no signals sits at 0.5 (medium). */
const PRIOR_WEIGHT = 2;

/**
 * Satisfaction in 0..1: good signals over all signals, pulled towards 0.5 by a small prior so
 * one answer does not make anyone "high" alone. High is above 2/3, low under 0.4.
 */
export function satisfactionScore(s: SatisfactionSignals): number {
  const good = s.feedbackRight;
  // A complaint settled is half a bad signal; one still open weighs one and a half.
  const bad = s.feedbackOff + 0.5 * s.complaints + s.openComplaints + s.remakes;
  return (good + 0.5 * PRIOR_WEIGHT) / (good + bad + PRIOR_WEIGHT);
}

export function satisfactionLevel(s: SatisfactionSignals): Level {
  const score = satisfactionScore(s);
  return score > 2 / 3 ? 'high' : score < 0.4 ? 'low' : 'medium';
}

export function volumeLevel(cls: ValueClass): Level {
  return cls === 'A' ? 'high' : cls === 'B' ? 'medium' : 'low';
}

export interface Treatment {
  /** One word for the cell: care / partner / improve / correct. */
  strategy: 'personal care' | 'partner' | 'improve' | 'correct';
  action: string;
}

/**
 * The suggested treatment per cell: personal care for every high-volume customer (the shape of
 * it depends on how satisfied they are); otherwise partner with the satisfied, improve the
 * lukewarm, correct what went wrong.
 */
export const TREATMENTS: Record<Level, Record<Level, Treatment>> = {
  high: {
    high: {
      strategy: 'personal care',
      action: 'Personal care: a named contact, early access to new fabrics, ask them to co-design',
    },
    medium: {
      strategy: 'personal care',
      action: 'Personal care: call to check the fit of the last order and adjust the spec together',
    },
    low: {
      strategy: 'personal care',
      action: 'Personal care, urgently: an owner calls, fixes the cause, offers a remake',
    },
  },
  medium: {
    high: {
      strategy: 'partner',
      action: 'Partner: invite to refer friends and review; suggest a second product',
    },
    medium: { strategy: 'improve', action: 'Improve: fit check before the next order, a reorder reminder' },
    low: { strategy: 'correct', action: 'Correct: resolve open complaints, propose a spec adjustment' },
  },
  low: {
    high: { strategy: 'partner', action: 'Partner: a reorder reminder with their saved spec' },
    medium: { strategy: 'improve', action: 'Improve: ask for fit feedback on the last order' },
    low: { strategy: 'correct', action: 'Correct: fix the complaint first, no promotions until then' },
  },
};

export interface GridCustomer {
  customerId: string;
  valueClass: ValueClass;
  signals: SatisfactionSignals;
}

export interface GridCell {
  volume: Level;
  satisfaction: Level;
  treatment: Treatment;
  count: number;
  customerIds: string[];
}

/** Every customer placed in one of the nine cells (all nine cells are always present). */
export function satisfactionGrid(customers: readonly GridCustomer[]): GridCell[] {
  const cells = new Map<string, GridCell>();
  for (const v of LEVELS)
    for (const s of LEVELS)
      cells.set(`${v}/${s}`, {
        volume: v,
        satisfaction: s,
        treatment: TREATMENTS[v][s],
        count: 0,
        customerIds: [],
      });
  for (const c of customers) {
    const cell = cells.get(`${volumeLevel(c.valueClass)}/${satisfactionLevel(c.signals)}`)!;
    cell.count++;
    cell.customerIds.push(c.customerId);
  }
  return [...cells.values()];
}
