import { selectionValues } from './query';
import type { CompiledProduct, Selection } from './types';

/**
 * A valid complete configuration drawn uniformly at random among those that extend `selection`,
 * using the caller's `random()` (the core has no randomness of its own). Walks the diagram
 * choosing each edge in proportion to the number of completions behind it. Text modules that
 * are drawn "present" get `text` (default "A"). Returns null when nothing extends the selection.
 */
export function sampleConfiguration(
  cp: CompiledProduct,
  random: () => number,
  selection?: Selection,
  text = 'A',
): Selection | null {
  const d = cp.diagram;
  if (d.root < 0) return null;
  const sel = selectionValues(cp, selection);
  // Float counts are exact up to 2^53 and proportional (good enough to sample) beyond.
  const counts = new Float64Array(d.nodeCount + 1);
  counts[d.nodeCount] = 1;
  const { table, tableStart, order, levelStart } = d;
  for (let l = order.length - 1; l >= 0; l--) {
    const s = sel[order[l]!]!;
    for (let n = levelStart[l]!; n < levelStart[l + 1]!; n++) {
      let total = 0;
      for (let v = 0, i = tableStart[n]!; i < tableStart[n + 1]!; i++, v++) {
        const c = table[i]!;
        if (c >= 0 && (s < 0 || s === v)) total += counts[c]!;
      }
      counts[n] = total;
    }
  }
  if (counts[d.root] === 0) return null;
  const out: Selection = {};
  let n = d.root;
  for (let l = 0; l < order.length; l++) {
    const m = cp.modules[order[l]!]!;
    const s = sel[m.index]!;
    let r = random() * counts[n]!;
    let pick = -1;
    for (let v = 0; v < m.size; v++) {
      const c = table[tableStart[n]! + v]!;
      if (c < 0 || (s >= 0 && s !== v) || counts[c] === 0) continue;
      pick = v;
      r -= counts[c]!;
      if (r < 0) break;
    }
    if (m.kind === 'text') {
      if (pick === 1) out[m.id] = selection?.[m.id] || text;
    } else out[m.id] = m.optionIds[pick]!;
    n = table[tableStart[n]! + pick]!;
  }
  return out;
}
