import type { CompiledProduct, Selection } from './types';

export interface Change {
  module: string;
  /** The previous option id (or text); absent when the module is new. */
  from?: string;
  /** The replacement option id (or text); absent when text is dropped or the module is gone. */
  to?: string;
  why:
    | 'retired'
    | 'conflict'
    | 'new_module'
    | 'module_retired'
    | 'text_invalid'
    | 'text_required'
    | 'adjusted';
}

export interface NearestOptions {
  /** What the caller knows of options that no longer exist (from an order or spec snapshot). */
  retired?: Record<string, { attrs?: Record<string, number>; label?: string }>;
  /** How strongly to keep each module's value (default 1); a pinned module changes last. */
  weights?: Record<string, number>;
}

/**
 * The valid complete configuration closest to `selection`: every choice that can stay, stays;
 * a retired option is replaced by the nearest one (numeric attributes, then an option with the
 * same name, then the module's default, then the cheapest); a
 * conflict is resolved by the fewest, smallest changes; a module added since gets its default;
 * a choice of a module the product no longer has is dropped (`module_retired`).
 * Exact: a shortest path through the compiled diagram. Returns the changes it made and why.
 * Text cannot be invented: when the rules demand text the selection lacks, the change says
 * `text_required` and the shopper has to type it.
 */
export function nearestValid(
  cp: CompiledProduct,
  selection: Selection,
  options: NearestOptions = {},
): { selection: Selection; changes: Change[] } {
  const d = cp.diagram;
  const costs = cp.modules.map((m) => {
    const c = new Float64Array(m.size);
    const raw = selection[m.id];
    const weight = options.weights?.[m.id] ?? 1;
    if (m.kind === 'text') {
      const textOk =
        typeof raw === 'string' &&
        raw.length > 0 &&
        [...raw].length <= m.maxLength! &&
        (m.pattern?.test(raw) ?? true);
      // Keep text that is still valid; otherwise no text is the natural fallback.
      c[0] = textOk ? 1000 * weight : 0;
      c[1] = textOk ? 0 : 1_000_000;
      return c;
    }
    const v = typeof raw === 'string' ? m.optionIndex.get(raw) : undefined;
    const retired = typeof raw === 'string' && v === undefined ? options.retired?.[m.id] : undefined;
    const defaultIndex = defaultOf(cp, m.index);
    for (let o = 0; o < m.size; o++) {
      if (v !== undefined) {
        c[o] =
          o === v ? 0 : weight * (1000 + attrDistance(m.attrs[v], m.attrs[o]) * 10 + Math.abs(o - v) * 0.01);
      } else if (typeof raw === 'string') {
        c[o] =
          1000 +
          (retired?.attrs ? attrDistance(retired.attrs, m.attrs[o]) * 10 : 0) +
          // Same label or id under a new name first, then the module's default, then the cheaper.
          (sameName(retired?.label ?? raw, m.optionLabels[o]!, m.optionIds[o]!) ? 0 : 2) +
          (o === defaultIndex ? 0 : 1) +
          Math.max(0, m.optionPrice[o]!) / 1e7;
      } else {
        c[o] = o === defaultIndex ? 0 : 1 + o * 0.001;
      }
    }
    return c;
  });

  // Bottom-up cheapest completion from every node, then walk down from the root.
  const best = new Float64Array(d.nodeCount + 1).fill(Number.POSITIVE_INFINITY);
  const choice = new Int32Array(d.nodeCount).fill(-1);
  best[d.nodeCount] = 0;
  for (let n = d.nodeCount - 1; n >= 0; n--) {
    const level = levelOfNode(cp, n);
    const m = d.order[level]!;
    const cost = costs[m]!;
    const base = d.tableStart[n]!;
    for (let v = 0; v < cost.length; v++) {
      const c = d.table[base + v]!;
      if (c < 0) continue;
      const total = cost[v]! + best[c]!;
      if (total < best[n]!) {
        best[n] = total;
        choice[n] = v;
      }
    }
  }
  const out: Selection = {};
  const changes: Change[] = [];
  let n = d.root;
  for (let level = 0; level < d.order.length && n >= 0; level++) {
    const m = cp.modules[d.order[level]!]!;
    const v = choice[n]!;
    const raw = selection[m.id];
    if (m.kind === 'text') {
      if (v === 1 && typeof raw === 'string' && raw.length > 0) out[m.id] = raw;
      else if (v === 1) changes.push({ module: m.id, why: 'text_required' });
      else if (typeof raw === 'string' && raw.length > 0)
        changes.push({ module: m.id, from: raw, why: 'text_invalid' });
    } else {
      out[m.id] = m.optionIds[v]!;
      if (raw === undefined) changes.push({ module: m.id, to: out[m.id], why: 'new_module' });
      else if (raw !== out[m.id])
        changes.push({
          module: m.id,
          from: raw,
          to: out[m.id],
          why: m.optionIndex.has(raw) ? 'conflict' : 'retired',
        });
    }
    n = d.table[d.tableStart[n]! + v]!;
  }
  // A module retired since is dropped; said, so a "what changed" list is never empty while the
  // selection did change (a saved "rise" of jeans that no longer have one).
  for (const [id, raw] of Object.entries(selection))
    if (!cp.moduleIndex.has(id) && typeof raw === 'string' && raw !== '')
      changes.push({ module: id, from: raw, why: 'module_retired' });
  // Catalog order, not diagram order, so the result reads like the product page.
  const ordered: Selection = {};
  for (const m of cp.modules) if (out[m.id] !== undefined) ordered[m.id] = out[m.id]!;
  const rank = (id: string) => cp.moduleIndex.get(id) ?? -1;
  changes.sort((a, b) => rank(a.module) - rank(b.module));
  return { selection: ordered, changes };
}

function defaultOf(cp: CompiledProduct, mi: number): number {
  const def = cp.product.modules[mi];
  if (def && def.kind === 'choice' && def.default) return cp.modules[mi]!.optionIndex.get(def.default) ?? 0;
  return 0;
}

function levelOfNode(cp: CompiledProduct, n: number): number {
  const ls = cp.diagram.levelStart;
  let lo = 0;
  let hi = ls.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ls[mid]! <= n) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function attrDistance(a: Record<string, number> | undefined, b: Record<string, number> | undefined): number {
  if (!a || !b) return 0;
  let d = 0;
  for (const k in a) if (b[k] !== undefined) d += Math.abs(a[k]! - b[k]!);
  return d;
}

function sameName(old: string, label: string, id: string): boolean {
  const o = old.toLowerCase();
  return o === id || o === label.toLowerCase();
}
