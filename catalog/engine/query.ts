import type { CompiledProduct, Selection } from './types';

/**
 * The selection as engine values: `sel[m]` is the chosen value of module `m`, or −1 when the
 * module is open. Unknown modules and options are ignored here (validate() reports them); an
 * empty text is open, any other text is "present".
 */
export function selectionValues(cp: CompiledProduct, selection: Selection | undefined): Int32Array {
  const sel = new Int32Array(cp.modules.length).fill(-1);
  if (!selection) return sel;
  // Over the selection's own keys, not the modules' ids: selections are built pick by pick in any
  // order, so they come in many shapes, and `selection[key]` inside `for…in` stays a fast load
  // where `selection[m.id]` is a megamorphic one.
  for (const key in selection) {
    const mi = cp.moduleIndex.get(key);
    if (mi === undefined) continue;
    const m = cp.modules[mi]!;
    const raw = selection[key];
    if (typeof raw !== 'string') continue;
    if (m.kind === 'text') {
      if (raw.length > 0) sel[m.index] = 1;
    } else {
      const v = m.optionIndex.get(raw);
      if (v !== undefined) sel[m.index] = v;
    }
  }
  return sel;
}

// Per compiled product, derived on first use: reach buffers reused across calls (JavaScript runs
// one call at a time; none escapes a call) and the value classes of every module as the diagram
// sees them.
interface Scratch {
  bw: Uint8Array;
  fw: Uint8Array;
  /** Module m's classes are `classStart[m]` .. `classStart[m + 1] - 1`. */
  classStart: Int32Array;
  /** Per class: one value of it (every value of a class has the same child in every node). */
  classRep: Int32Array;
  /** Per value (flat, from `cp.valueOffset`): its class. */
  classOf: Int32Array;
}
const scratch = new WeakMap<CompiledProduct, Scratch>();
function buffers(cp: CompiledProduct): Scratch {
  let b = scratch.get(cp);
  if (!b) {
    b = {
      bw: new Uint8Array(cp.diagram.nodeCount + 1),
      fw: new Uint8Array(cp.diagram.nodeCount + 1),
      ...diagramClasses(cp),
    };
    scratch.set(cp, b);
  }
  return b;
}

/**
 * The modules' value classes (values no clause tells apart) laid out flat. The diagram is built
 * over the same classes, so every value of a class has the same child in every node of its level:
 * a pass visits one value per class (a 227-option size with two thresholds costs two look-ups per
 * node, not 227).
 */
function diagramClasses(cp: CompiledProduct) {
  const M = cp.modules.length;
  const classStart = new Int32Array(M + 1);
  const classOf = new Int32Array(cp.valueOffset[M]!);
  const reps: number[] = [];
  for (const m of cp.modules) {
    const first = (classStart[m.index] = reps.length);
    m.valueClass.forEach((k, v) => {
      if (first + k === reps.length) reps.push(v); // classes are numbered in order of first value
      classOf[cp.valueOffset[m.index]! + v] = first + k;
    });
  }
  classStart[M] = reps.length;
  return { classStart, classRep: Int32Array.from(reps), classOf };
}

/**
 * Which nodes reach the accepting terminal using only values allowed by `sel` on the levels
 * below them. Index `nodeCount` is the terminal itself.
 */
export function backwardReach(cp: CompiledProduct, sel: Int32Array, out?: Uint8Array): Uint8Array {
  const d = cp.diagram;
  const bw = out ?? new Uint8Array(d.nodeCount + 1);
  bw[d.nodeCount] = 1;
  const { table, tableStart, order, levelStart } = d;
  const { classStart, classRep } = buffers(cp);
  for (let l = order.length - 1; l >= 0; l--) {
    const m = order[l]!;
    const s = sel[m]!;
    const lo = levelStart[l]!;
    const hi = levelStart[l + 1]!;
    const k0 = classStart[m]!;
    const k1 = classStart[m + 1]!;
    for (let n = lo; n < hi; n++) {
      const base = tableStart[n]!;
      let ok = 0;
      if (s >= 0) {
        const c = table[base + s]!;
        ok = c >= 0 ? bw[c]! : 0;
      } else {
        for (let k = k0; k < k1; k++) {
          const c = table[base + classRep[k]!]!;
          if (c >= 0 && bw[c]) {
            ok = 1;
            break;
          }
        }
      }
      bw[n] = ok;
    }
  }
  return bw;
}

/**
 * The value classes `classAvailability` answers in: module m's are `start[m]` .. `start[m + 1] - 1`,
 * value v's is `of[valueOffset[m] + v]`, and `rep[k]` is one value of class k.
 */
export function valueClasses(cp: CompiledProduct): { start: Int32Array; of: Int32Array; rep: Int32Array } {
  const b = buffers(cp);
  return { start: b.classStart, of: b.classOf, rep: b.classRep };
}

/**
 * `availability` per value class instead of per value, into `out` (one byte per class, see
 * `valueClasses`): the same two passes, one look-up per class and node.
 */
export function classAvailability(cp: CompiledProduct, sel: Int32Array, out: Uint8Array): Uint8Array {
  const d = cp.diagram;
  const b = buffers(cp);
  const { fw, classStart, classRep } = b;
  const bw = backwardReach(cp, sel, b.bw);
  fw.fill(0);
  out.fill(0);
  if (d.root < 0) return out;
  fw[d.root] = 1;
  const { table, tableStart, order, levelStart } = d;
  for (let l = 0; l < order.length; l++) {
    const m = order[l]!;
    const s = sel[m]!;
    const k0 = classStart[m]!;
    const k1 = classStart[m + 1]!;
    const hi = levelStart[l + 1]!;
    for (let n = levelStart[l]!; n < hi; n++) {
      if (!fw[n]) continue;
      const base = tableStart[n]!;
      if (s >= 0) {
        const c = table[base + s]!;
        if (c >= 0) fw[c] = 1;
      }
      for (let k = k0; k < k1; k++) {
        const c = table[base + classRep[k]!]!;
        if (c < 0) continue;
        // Forward reach ignores what lies below (bw): a choice further down must not hide the
        // alternatives of the modules above it.
        if (s < 0) fw[c] = 1;
        if (bw[c]) out[k] = 1;
      }
    }
  }
  return out;
}

/**
 * For every module and value: is there a valid complete configuration that agrees with `sel` on
 * every OTHER module and takes this value here? (For an open module this is exactly "some valid
 * completion extends the selection with it"; for a chosen module it says which alternatives the
 * shopper could switch to.) One byte per value, module `m`'s values from `cp.valueOffset[m]`.
 */
export function availability(cp: CompiledProduct, sel: Int32Array): Uint8Array {
  const { of, rep } = valueClasses(cp);
  const byClass = classAvailability(cp, sel, new Uint8Array(rep.length));
  const avail = new Uint8Array(of.length);
  for (let i = 0; i < of.length; i++) avail[i] = byClass[of[i]!]!;
  return avail;
}

/** True when some valid complete configuration agrees with `sel` on every chosen module. */
export function isExtendable(cp: CompiledProduct, sel: Int32Array): boolean {
  const d = cp.diagram;
  if (d.root < 0) return false;
  return backwardReach(cp, sel, buffers(cp).bw)[d.root] === 1;
}

/**
 * The exact number of valid complete configurations that agree with the selection (bigint).
 * Counts in float64 when the product's total fits exactly, in bigint otherwise.
 */
export function countValues(cp: CompiledProduct, sel: Int32Array): bigint {
  const d = cp.diagram;
  if (d.root < 0) return 0n;
  if (cp.exactInNumbers) {
    const counts = new Float64Array(d.nodeCount + 1);
    counts[d.nodeCount] = 1;
    sweep(cp, sel, (n, c) => (counts[n] = counts[n]! + counts[c]!));
    return BigInt(counts[d.root]!);
  }
  const counts: bigint[] = new Array(d.nodeCount + 1).fill(0n);
  counts[d.nodeCount] = 1n;
  sweep(cp, sel, (n, c) => (counts[n] = counts[n]! + counts[c]!));
  return counts[d.root]!;
}

/** Visits every edge allowed by `sel`, children before parents. */
function sweep(cp: CompiledProduct, sel: Int32Array, edge: (node: number, child: number) => void) {
  const { table, tableStart, order, levelStart } = cp.diagram;
  for (let l = order.length - 1; l >= 0; l--) {
    const s = sel[order[l]!]!;
    for (let n = levelStart[l]!; n < levelStart[l + 1]!; n++) {
      const base = tableStart[n]!;
      if (s >= 0) {
        const c = table[base + s]!;
        if (c >= 0) edge(n, c);
      } else {
        for (let i = base; i < tableStart[n + 1]!; i++) {
          const c = table[i]!;
          if (c >= 0) edge(n, c);
        }
      }
    }
  }
}

/** Follows one complete assignment through the diagram: valid exactly when it reaches the terminal. */
export function acceptsComplete(cp: CompiledProduct, sel: Int32Array): boolean {
  const d = cp.diagram;
  let n = d.root;
  if (n < 0) return false;
  const { table, tableStart, order } = d;
  for (let l = 0; l < order.length; l++) {
    const v = sel[order[l]!]!;
    if (v < 0) return false;
    n = table[tableStart[n]! + v]!;
    if (n < 0) return false;
  }
  return n === d.nodeCount;
}
