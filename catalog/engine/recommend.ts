import { availability, selectionValues } from './query';
import type { CompiledProduct, Selection } from './types';

export interface Measurements {
  unit: 'in' | 'cm';
  values: Record<string, number>;
}

export interface SizeAdvice {
  module: string;
  status: 'ok' | 'out_of_range' | 'missing';
  option?: string;
  label?: string;
  /** A sentence for the shopper: what was measured, what ease was added, what was chosen. */
  explanation: string;
}

export interface SizeRecommendation {
  /** The size modules to set (only those with status ok). */
  selection: Selection;
  advice: SizeAdvice[];
  /** Measurements that are missing or not plausible for a human body. */
  problems: Array<{ measurement: string; message: string }>;
}

const INCH = 2.54;
const fmt = (x: number) => `${Math.round(x * 10) / 10}″`;

/**
 * Turns body measurements (inches or centimetres) into the product's size options. Each size
 * target adds ease (fixed, or taken from the chosen fit) to the body measurement and picks the
 * closest option that the rest of the selection still allows, preferring a little room over a
 * little tightness. A body beyond the size range by more than the target's tolerance gets
 * `out_of_range` with an explanation instead of a wrong size.
 */
export function recommendSize(
  cp: CompiledProduct,
  measurements: Measurements,
  selection: Selection = {},
): SizeRecommendation {
  const sizing = cp.sizing;
  const result: SizeRecommendation = { selection: {}, advice: [], problems: [] };
  if (!sizing) return result;
  const toInches = (x: number) => (measurements.unit === 'cm' ? x / INCH : x);
  const body: Record<string, number> = {};
  for (const m of sizing.measurements) {
    const raw = measurements.values?.[m.id];
    if (raw === undefined || raw === null) continue;
    const x = toInches(raw);
    if (typeof raw !== 'number' || !Number.isFinite(raw) || x < m.min || x > m.max) {
      const range =
        measurements.unit === 'cm'
          ? `${Math.round(m.min * INCH)}–${Math.round(m.max * INCH)} cm`
          : `${m.min}–${m.max} in`;
      result.problems.push({
        measurement: m.id,
        message: `${m.label} should be a body measurement of ${range}.`,
      });
      continue;
    }
    body[m.id] = x;
  }

  const working: Selection = { ...selection };
  for (const target of sizing.targets) {
    const mi = cp.moduleIndex.get(target.module)!;
    const mod = cp.modules[mi]!;
    const missing = target.match.filter((t) => body[t.measurement] === undefined);
    if (missing.length) {
      result.advice.push({
        module: mod.id,
        status: 'missing',
        explanation: `${mod.label}: needs ${missing.map((t) => labelOf(cp, t.measurement)).join(' and ')}.`,
      });
      continue;
    }
    const wanted = target.match.map((t) => {
      let ease = t.ease ?? 0;
      let easeNote = t.ease ? `${fmt(t.ease)} ease` : '';
      if (t.easeFrom) {
        const em = cp.modules[cp.moduleIndex.get(t.easeFrom.module)!]!;
        const chosen = working[em.id];
        const def = cp.product.modules[em.index];
        const oi = em.optionIndex.get(chosen ?? (def?.kind === 'choice' ? (def.default ?? '') : '')) ?? 0;
        ease += em.attrs[oi]?.[t.easeFrom.attr] ?? 0;
        easeNote = `${fmt(ease)} ease for the ${em.optionLabels[oi]} ${em.label.toLowerCase()}`;
      }
      return { ...t, body: body[t.measurement]!, value: body[t.measurement]! + ease, easeNote };
    });
    // Options the rest of the selection allows (this module's own choice released).
    const sel = selectionValues(cp, working);
    sel[mi] = -1;
    const allowed = availability(cp, sel).subarray(cp.valueOffset[mi]!, cp.valueOffset[mi + 1]!);
    let best = -1;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let o = 0; o < mod.size; o++) {
      if (!allowed[o]) continue;
      let score = 0;
      for (const w of wanted) {
        const d = (mod.attrs[o]?.[w.attr] ?? Number.NaN) - w.value;
        score += d < 0 ? -2 * d : d;
      }
      if (score < bestScore) {
        bestScore = score;
        best = o;
      }
    }
    const parts = wanted.map(
      (w) =>
        `${labelOf(cp, w.measurement)} ${fmt(w.body)}${w.easeNote ? ` + ${w.easeNote}` : ''} → ${fmt(w.value)}`,
    );
    if (best < 0) {
      result.advice.push({
        module: mod.id,
        status: 'out_of_range',
        explanation: `${mod.label}: no size fits your other choices.`,
      });
      continue;
    }
    const off = wanted.filter((w) => Math.abs(mod.attrs[best]![w.attr]! - w.value) > target.tolerance);
    if (off.length) {
      const w = off[0]!;
      const values = mod.attrs.map((a) => a?.[w.attr]).filter((x): x is number => x !== undefined);
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      const side =
        w.value > hi
          ? `our largest is ${fmt(hi)}`
          : w.value < lo
            ? `our smallest is ${fmt(lo)}`
            : `the nearest we make with your other choices is ${fmt(mod.attrs[best]![w.attr]!)}`;
      result.advice.push({
        module: mod.id,
        status: 'out_of_range',
        explanation: `${parts.join('; ')}: ${side}. We cannot cut this size from your measurements; contact us for a custom pattern.`,
      });
      continue;
    }
    working[mod.id] = mod.optionIds[best]!;
    result.selection[mod.id] = mod.optionIds[best]!;
    result.advice.push({
      module: mod.id,
      status: 'ok',
      option: mod.optionIds[best]!,
      label: mod.optionLabels[best]!,
      explanation: `${parts.join('; ')}: ${mod.optionLabels[best]} is the closest.`,
    });
  }
  return result;
}

function labelOf(cp: CompiledProduct, measurement: string): string {
  return cp.sizing?.measurements.find((m) => m.id === measurement)?.label ?? measurement;
}
