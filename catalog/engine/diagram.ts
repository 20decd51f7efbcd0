import type { Clause, Diagram } from './types';

/**
 * Builds the decision diagram of a set of clauses over modules with `sizes[m]` values, deciding
 * modules in `order`. Top-down: a node is the set of clauses already touched but not yet satisfied;
 * a value that leaves a clause unsatisfied at its last module has no edge. Bottom-up: nodes with no
 * way to the accepting terminal are dropped and nodes with identical outgoing edges are merged, so
 * the result is the reduced diagram of exactly the valid complete configurations.
 *
 * Returns null when the diagram would exceed `maxEntries` table entries (the caller tries
 * another order or reports the product as too entangled).
 */
export function buildDiagram(
  sizes: ArrayLike<number>,
  clauses: Clause[],
  order: ArrayLike<number>,
  maxEntries = 4_000_000,
): Diagram | null {
  const L = order.length;
  const levelOf = new Int32Array(L);
  for (let l = 0; l < L; l++) levelOf[order[l]!] = l;

  const C = clauses.length;
  const first = new Int32Array(C).fill(L);
  const last = new Int32Array(C).fill(-1);
  // For each level: the clauses with a literal there and that literal's allowed values.
  const touch: Array<Array<{ c: number; allowed: Uint8Array }>> = Array.from({ length: L }, () => []);
  clauses.forEach((cl, c) => {
    for (const lit of cl.literals) {
      const l = levelOf[lit.mod]!;
      touch[l]!.push({ c, allowed: lit.allowed });
      if (l < first[c]!) first[c] = l;
      if (l > last[c]!) last[c] = l;
    }
  });

  // Values of a level that no touching clause tells apart share one class, so a 227-option
  // size module with two relevant thresholds costs three evaluations per node, not 227.
  const valueClass: Int32Array[] = [];
  const classRep: number[][] = [];
  for (let l = 0; l < L; l++) {
    const size = sizes[order[l]!]!;
    const cls = new Int32Array(size);
    const seen = new Map<string, number>();
    const reps: number[] = [];
    for (let v = 0; v < size; v++) {
      let sig = '';
      for (const t of touch[l]!) sig += t.allowed[v] ? '1' : '0';
      let k = seen.get(sig);
      if (k === undefined) {
        k = reps.length;
        seen.set(sig, k);
        reps.push(v);
      }
      cls[v] = k;
    }
    valueClass.push(cls);
    classRep.push(reps);
  }

  // ---- top-down construction; raw nodes keyed by their pending-clause set per level
  const TRUE_RAW = -2;
  const rawChildren: Int32Array[][] = []; // per level, per node: child raw index per value class
  let entries = 0;
  let levelNodes: number[][] = [[]]; // pending sets of the current level
  let levelKeys = new Map<string, number>([['', 0]]);
  for (let l = 0; l < L; l++) {
    const nextNodes: number[][] = [];
    const nextKeys = new Map<string, number>();
    const kids: Int32Array[] = [];
    const reps = classRep[l]!;
    const tl = touch[l]!;
    for (const pending of levelNodes) {
      const pendingSet = new Set(pending);
      const row = new Int32Array(reps.length);
      for (let k = 0; k < reps.length; k++) {
        const v = reps[k]!;
        let dead = false;
        const next = new Set(pendingSet);
        for (const { c, allowed } of tl) {
          if (!pendingSet.has(c) && first[c] !== l) continue; // satisfied earlier
          if (allowed[v]) next.delete(c);
          else if (last[c] === l) {
            // A clause may have two literals on one level only if not merged; treat as one.
            if (!clauseSatisfiedAt(tl, c, v)) {
              dead = true;
              break;
            }
            next.delete(c);
          } else next.add(c);
        }
        if (dead) {
          row[k] = -1;
          continue;
        }
        if (l === L - 1) {
          row[k] = next.size === 0 ? TRUE_RAW : -1;
          continue;
        }
        const arr = [...next].sort((a, b) => a - b);
        const key = arr.join(',');
        let idx = nextKeys.get(key);
        if (idx === undefined) {
          idx = nextNodes.length;
          nextKeys.set(key, idx);
          nextNodes.push(arr);
        }
        row[k] = idx;
      }
      kids.push(row);
      entries += sizes[order[l]!]!;
      if (entries > maxEntries * 4) return null;
    }
    rawChildren.push(kids);
    levelNodes = nextNodes;
    levelKeys = nextKeys;
  }
  void levelKeys;

  // ---- bottom-up: drop dead nodes, merge equal ones. canon[l][raw] = canonical id or -1.
  const canon: Int32Array[] = new Array(L);
  const canonRows: Int32Array[][] = new Array(L); // per level, canonical node rows (full value tables)
  for (let l = L - 1; l >= 0; l--) {
    const kids = rawChildren[l]!;
    const size = sizes[order[l]!]!;
    const cls = valueClass[l]!;
    const map = new Int32Array(kids.length).fill(-1);
    const unique = new Map<string, number>();
    const rows: Int32Array[] = [];
    for (let n = 0; n < kids.length; n++) {
      const row = kids[n]!;
      const mapped = new Int32Array(row.length);
      let alive = false;
      for (let k = 0; k < row.length; k++) {
        const r = row[k]!;
        const c = r === TRUE_RAW ? TRUE_RAW : r < 0 ? -1 : l === L - 1 ? -1 : canon[l + 1]![r]!;
        mapped[k] = c;
        if (c !== -1) alive = true;
      }
      if (!alive) continue;
      const key = mapped.join(',');
      let id = unique.get(key);
      if (id === undefined) {
        id = rows.length;
        unique.set(key, id);
        const full = new Int32Array(size);
        for (let v = 0; v < size; v++) full[v] = mapped[cls[v]!]!;
        rows.push(full);
      }
      map[n] = id;
    }
    canon[l] = map;
    canonRows[l] = rows;
  }

  // ---- lay out: global ids level by level; TRUE is the id after the last node.
  const levelStart = new Int32Array(L + 1);
  for (let l = 0; l < L; l++) levelStart[l + 1] = levelStart[l]! + canonRows[l]!.length;
  const nodeCount = levelStart[L]!;
  const TRUE = nodeCount;
  const tableStart = new Int32Array(nodeCount + 1);
  let total = 0;
  for (let l = 0; l < L; l++) {
    for (let i = 0; i < canonRows[l]!.length; i++) {
      tableStart[levelStart[l]! + i] = total;
      total += sizes[order[l]!]!;
    }
  }
  tableStart[nodeCount] = total;
  if (total > maxEntries) return null;
  const table = new Int32Array(total);
  for (let l = 0; l < L; l++) {
    const rows = canonRows[l]!;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const base = tableStart[levelStart[l]! + i]!;
      for (let v = 0; v < row.length; v++) {
        const c = row[v]!;
        table[base + v] = c === TRUE_RAW ? TRUE : c < 0 ? -1 : levelStart[l + 1]! + c;
      }
    }
  }
  const rootCanon = L === 0 ? -1 : canon[0]![0]!;
  return {
    order: Int32Array.from(order),
    levelOf,
    levelStart,
    nodeCount,
    tableStart,
    table,
    root: rootCanon < 0 ? -1 : rootCanon,
  };
}

function clauseSatisfiedAt(tl: Array<{ c: number; allowed: Uint8Array }>, c: number, v: number): boolean {
  for (const t of tl) if (t.c === c && t.allowed[v]) return true;
  return false;
}

/** Clauses whose literals span levels `first..last` are open across the cut after each level. */
export function cutWidths(order: ArrayLike<number>, clauses: Clause[]): number[] {
  const L = order.length;
  const levelOf = new Int32Array(L);
  for (let l = 0; l < L; l++) levelOf[order[l]!] = l;
  const widths = new Array(L).fill(0);
  for (const cl of clauses) {
    let lo = L;
    let hi = -1;
    for (const lit of cl.literals) {
      const l = levelOf[lit.mod]!;
      if (l < lo) lo = l;
      if (l > hi) hi = l;
    }
    for (let l = lo; l < hi; l++) widths[l]++;
  }
  return widths;
}

/**
 * Candidate module orders for the diagram: the declared order and greedy orders that keep few
 * clauses open across each cut (the width of the diagram grows with them).
 */
export function candidateOrders(sizes: ArrayLike<number>, clauses: Clause[], limit = 6): number[][] {
  const M = sizes.length;
  const declared = Array.from({ length: M }, (_, i) => i);
  const out: number[][] = [declared];
  const seen = new Set([declared.join(',')]);
  const neighbours: Array<Set<number>> = Array.from({ length: M }, () => new Set());
  const clausesOf: number[][] = Array.from({ length: M }, () => []);
  clauses.forEach((cl, c) => {
    for (const a of cl.literals) {
      clausesOf[a.mod]!.push(c);
      for (const b of cl.literals) if (a.mod !== b.mod) neighbours[a.mod]!.add(b.mod);
    }
  });
  // Starts: the least and the most connected modules, then the rest by degree.
  const byDegree = [...declared].sort((a, b) => neighbours[a]!.size - neighbours[b]!.size || a - b);
  const starts = [...new Set([byDegree[0]!, byDegree[M - 1]!, ...byDegree])].slice(0, limit);
  for (const start of starts) {
    const placed = new Uint8Array(M);
    const order = [start];
    placed[start] = 1;
    const touched = new Int32Array(clauses.length); // literals of each clause already placed
    const need = clauses.map((cl) => new Set(cl.literals.map((l) => l.mod)).size);
    for (const c of clausesOf[start]!) touched[c] = touched[c]! + 1;
    while (order.length < M) {
      let best = -1;
      let bestScore = Number.POSITIVE_INFINITY;
      for (let m = 0; m < M; m++) {
        if (placed[m]) continue;
        // Open clauses after placing m: started and unfinished.
        let open = 0;
        for (let c = 0; c < clauses.length; c++) {
          const t = touched[c]! + (clausesOf[m]!.includes(c) ? 1 : 0);
          if (t > 0 && t < need[c]!) open++;
        }
        // Prefer closing clauses; break ties towards smaller modules (narrower tables).
        const score = open * 1000 + sizes[m]!;
        if (score < bestScore) {
          bestScore = score;
          best = m;
        }
      }
      placed[best] = 1;
      order.push(best);
      for (const c of new Set(clausesOf[best])) touched[c] = touched[c]! + 1;
    }
    const key = order.join(',');
    if (!seen.has(key)) {
      seen.add(key);
      out.push(order);
    }
  }
  return out;
}
