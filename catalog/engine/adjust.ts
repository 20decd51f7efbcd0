import { EngineError } from '../errors';
import type { FitFeedbackDef } from '../schema';
import { type Change, nearestValid } from './nearest';
import type { CompiledProduct, Selection } from './types';

export type FitAnswer = 'too_tight' | 'right' | 'too_loose' | 'too_short' | 'too_long';

export interface Adjustment {
  /** The proposed spec: always a valid complete configuration of today's catalog. */
  selection: Selection;
  /** What differs from the current spec (adjustments and any knock-on change). */
  changes: Change[];
  /** One sentence per change, for the before/after the customer accepts or declines. */
  summary: string[];
  /** True when the answers ask for nothing, or nothing can move further. */
  unchanged: boolean;
}

type Area = FitFeedbackDef['areas'][number];

/**
 * Turns structured fit feedback into a concrete change of the spec: "too tight" and "too short"
 * move the area's module one step larger or longer, "too loose" and "too long" one step smaller
 * or shorter (a numeric attribute by its step, or along an ordered list of options). Areas on the
 * same module combine (waist too tight + hip right = a larger waist on the same hip). The result
 * is then made valid with the fewest other changes (nearestValid, keeping the adjusted modules).
 * Throws EngineError `bad_feedback` for an unknown area or an answer on the wrong scale.
 */
export function proposeAdjustment(
  cp: CompiledProduct,
  selection: Selection,
  answers: Record<string, FitAnswer>,
): Adjustment {
  const areas = cp.product.fitFeedback?.areas ?? [];
  const byModule = new Map<string, Array<{ area: Area; dir: number }>>();
  for (const [areaId, answer] of Object.entries(answers)) {
    const area = areas.find((a) => a.id === areaId);
    if (!area) throw new EngineError('bad_feedback', `${cp.product.name} has no fit area "${areaId}"`);
    const allowed =
      area.scale === 'tightness' ? ['too_tight', 'right', 'too_loose'] : ['too_short', 'right', 'too_long'];
    if (!allowed.includes(answer))
      throw new EngineError('bad_feedback', `${area.label}: the answer is one of ${allowed.join(', ')}`);
    const dir = answer === 'too_tight' || answer === 'too_short' ? 1 : answer === 'right' ? 0 : -1;
    if (dir === 0) continue;
    const list = byModule.get(area.adjust.module) ?? [];
    list.push({ area, dir });
    byModule.set(area.adjust.module, list);
  }

  const desired: Selection = { ...selection };
  const pinned: Record<string, number> = {};
  const notes: string[] = [];
  for (const [moduleId, moves] of byModule) {
    const mi = cp.moduleIndex.get(moduleId);
    if (mi === undefined) continue;
    const m = cp.modules[mi]!;
    const current = m.optionIndex.get(selection[moduleId] ?? '');
    if (current === undefined) continue;
    let target = current;
    const ordered = moves.find((mv) => 'order' in mv.area.adjust);
    if (ordered && 'order' in ordered.area.adjust) {
      const order = ordered.area.adjust.order;
      const at = order.indexOf(m.optionIds[current]!);
      const next = at < 0 ? -1 : at + ordered.dir;
      if (at >= 0 && next >= 0 && next < order.length) target = m.optionIndex.get(order[next]!) ?? current;
      else
        notes.push(
          `${ordered.area.label}: ${m.optionLabels[current]} is already the ${ordered.dir > 0 ? 'roomiest' : 'closest'} we make.`,
        );
    } else {
      const base = m.attrs[current] ?? {};
      // Hold every attribute a fit area reads on this module (waist and hip), move the asked ones.
      const want: Record<string, number> = {};
      for (const a of areas)
        if (a.adjust.module === moduleId && 'attr' in a.adjust)
          want[a.adjust.attr] = base[a.adjust.attr] ?? 0;
      for (const mv of moves) {
        if (!('attr' in mv.area.adjust)) continue;
        const { attr, step } = mv.area.adjust;
        want[attr] = (base[attr] ?? 0) + mv.dir * step;
      }
      let best = current;
      let bestScore = Number.POSITIVE_INFINITY;
      for (let o = 0; o < m.size; o++) {
        const a = m.attrs[o] ?? {};
        let score = 0;
        // On a tie, a little room beats a little tightness (as in recommendSize).
        for (const k in want)
          score += Math.abs((a[k] ?? Number.NaN) - want[k]!) - 1e-3 * ((a[k] ?? 0) - want[k]!);
        // Must move the way the customer asked on every adjusted attribute.
        const wrongWay = moves.some(
          (mv) =>
            'attr' in mv.area.adjust &&
            Math.sign((a[mv.area.adjust.attr] ?? 0) - (base[mv.area.adjust.attr] ?? 0)) !== mv.dir,
        );
        if (wrongWay) continue;
        if (score < bestScore) {
          bestScore = score;
          best = o;
        }
      }
      if (best === current)
        notes.push(
          `${moves.map((mv) => mv.area.label).join(' and ')}: ${m.optionLabels[current]} is already at the end of our range.`,
        );
      target = best;
    }
    desired[moduleId] = m.optionIds[target]!;
    pinned[moduleId] = 100;
  }

  const repaired = nearestValid(cp, desired, { weights: pinned });
  const changes: Change[] = [];
  const summary: string[] = [];
  for (const m of cp.modules) {
    const before = selection[m.id];
    const after = repaired.selection[m.id];
    if (before === after) continue;
    const label = (id: string | undefined) =>
      id === undefined
        ? '(none)'
        : m.kind === 'text'
          ? `"${id}"`
          : (m.optionLabels[m.optionIndex.get(id) ?? -1] ?? id);
    const asked = byModule.get(m.id);
    changes.push({ module: m.id, from: before, to: after, why: asked ? 'adjusted' : 'conflict' });
    summary.push(
      `${m.label}: ${label(before)} → ${label(after)} (${asked ? asked.map((a) => `${a.area.label.toLowerCase()} ${a.dir > 0 ? (a.area.scale === 'length' ? 'too short' : 'too tight') : a.area.scale === 'length' ? 'too long' : 'too loose'}`).join(', ') : 'to keep the configuration valid'}).`,
    );
  }
  summary.push(...notes);
  return { selection: repaired.selection, changes, summary, unchanged: changes.length === 0 };
}
