import { CatalogError, type CatalogIssue } from '../errors';
import type { Atom, ProductSource } from '../schema';
import { buildDiagram, candidateOrders } from './diagram';
import { expandProduct } from './expand';
import type {
  Clause,
  CompiledModule,
  CompiledPriceRule,
  CompiledProduct,
  Diagram,
  Literal,
  Product,
} from './types';

export interface CompileOptions {
  /** A clock for the compile-time statistic (the core takes no clock of its own). */
  now?: () => number;
  /** Largest diagram table accepted, in entries (4 bytes each). */
  maxEntries?: number;
}

/**
 * Precomputes everything the other engine functions need: option indexes, the rules as clauses,
 * and a reduced decision diagram whose paths are exactly the valid complete configurations, so
 * availability, counting and validation never enumerate configurations. Throws a CatalogError
 * (path inside the product + reason) for references to unknown modules, options or attributes,
 * and for a product whose rules leave no valid configuration.
 */
export function compile(source: ProductSource | Product, options: CompileOptions = {}): CompiledProduct {
  const now = options.now ?? (() => 0);
  const started = now();
  const product = expandProduct(source);
  const issues: CatalogIssue[] = [];
  const file = product.id;

  const modules: CompiledModule[] = product.modules.map((m, index) => {
    if (m.kind === 'text') {
      let pattern: RegExp | undefined;
      try {
        pattern = new RegExp(m.pattern, 'u');
      } catch (e) {
        issues.push({
          file,
          path: `modules[${index}].pattern`,
          message: `not a valid regular expression: ${String(e)}`,
        });
      }
      return {
        index,
        id: m.id,
        label: m.label,
        kind: 'text',
        required: m.required,
        size: 2,
        optionIds: ['', '*'],
        optionLabels: ['(none)', m.label],
        optionCodes: ['', ''],
        optionIndex: new Map(),
        optionPrice: new Int32Array([0, m.price ?? 0]),
        attrs: [undefined, undefined],
        valueClass: new Int32Array([0, 1]),
        pattern,
        maxLength: m.maxLength,
        textPrice: m.price ?? 0,
      } satisfies CompiledModule;
    }
    const optionIndex = new Map<string, number>();
    m.options.forEach((o, i) => {
      optionIndex.set(o.id, i);
    });
    return {
      index,
      id: m.id,
      label: m.label,
      kind: 'choice',
      required: true,
      size: m.options.length,
      optionIds: m.options.map((o) => o.id),
      optionLabels: m.options.map((o) => o.label),
      optionCodes: m.options.map((o) => o.code),
      optionIndex,
      optionPrice: Int32Array.from(m.options.map((o) => o.price ?? 0)),
      attrs: m.options.map((o) => o.attrs),
      valueClass: new Int32Array(m.options.length),
    } satisfies CompiledModule;
  });
  const moduleIndex = new Map(modules.map((m) => [m.id, m.index]));

  const atomLiteral = (atom: Atom, path: string) => literalOf(modules, moduleIndex, atom, file, path, issues);

  const clauses: Clause[] = [];
  const priceRules: CompiledPriceRule[] = [];
  product.rules.forEach((rule, r) => {
    const base = `rules[${r}]`;
    const when = rule.when.map((a, k) => atomLiteral(a, `${base}.when[${k}]`));
    if (rule.kind === 'price') {
      if (when.every((w) => w))
        priceRules.push({ rule: r, label: rule.label, amount: rule.amount, atoms: when as Literal[] });
      return;
    }
    const then = rule.then.map((a, k) => atomLiteral(a, `${base}.then[${k}]`));
    if (!when.every((w) => w) || !then.every((t) => t)) return;
    const notWhen = (when as Literal[]).map(negate);
    if (rule.kind === 'require') {
      pushClause(clauses, r, [...notWhen, ...(then as Literal[])]);
    } else {
      for (const t of then as Literal[]) pushClause(clauses, r, [...notWhen, negate(t)]);
    }
  });
  if (issues.length) throw new CatalogError(issues);

  // A required text module can never be absent.
  for (const m of modules) {
    if (m.kind === 'text' && m.required)
      clauses.push({ rule: -1, literals: [{ mod: m.index, allowed: new Uint8Array([0, 1]) }] });
  }

  const impossible = clauses.find((c) => c.literals.length === 0);
  if (impossible) {
    throw new CatalogError([
      {
        file,
        path: `rules[${impossible.rule}]`,
        message: `rule "${product.rules[impossible.rule]?.id}" can never be satisfied: the product has no valid configuration`,
      },
    ]);
  }

  const sizes = Int32Array.from(modules.map((m) => m.size));
  const diagram = bestDiagram(sizes, clauses, options.maxEntries ?? 2_000_000);
  if (!diagram) {
    throw new CatalogError([
      {
        file,
        path: 'rules',
        message: 'the rules are too entangled to compile within the size limit; split the product',
      },
    ]);
  }
  if (diagram.root < 0) {
    throw new CatalogError([
      { file, path: 'rules', message: 'the rules together leave no valid configuration' },
    ]);
  }

  const clausesOf: number[][] = modules.map(() => []);
  clauses.forEach((c, ci) => {
    for (const l of c.literals) clausesOf[l.mod]!.push(ci);
  });

  for (const m of modules) {
    if (m.kind === 'text') continue;
    const seen = new Map<string, number>();
    for (let v = 0; v < m.size; v++) {
      let sig = '';
      for (const ci of clausesOf[m.index]!) {
        for (const l of clauses[ci]!.literals) if (l.mod === m.index) sig += l.allowed[v] ? '1' : '0';
      }
      let k = seen.get(sig);
      if (k === undefined) seen.set(sig, (k = seen.size));
      m.valueClass[v] = k;
    }
  }

  const compiled: CompiledProduct = {
    product,
    modules,
    moduleIndex,
    valueOffset: offsets(modules),
    clauses,
    clausesOf,
    priceRules,
    diagram,
    total: 0n,
    exactInNumbers: false,
    rules: product.rules,
    sizing: product.sizing,
    stats: {
      compileMs: 0,
      nodes: diagram.nodeCount,
      tableEntries: diagram.table.length,
      clauses: clauses.length,
      bytes: 0,
    },
  };
  compiled.total = totalCount(diagram, sizes);
  compiled.exactInNumbers = compiled.total <= BigInt(Number.MAX_SAFE_INTEGER);
  compiled.stats.bytes = approximateBytes(compiled);
  compiled.stats.compileMs = now() - started;
  return compiled;
}

function offsets(modules: CompiledModule[]): Int32Array {
  const out = new Int32Array(modules.length + 1);
  modules.forEach((m, i) => {
    out[i + 1] = out[i]! + m.size;
  });
  return out;
}

function negate(l: Literal): Literal {
  const allowed = new Uint8Array(l.allowed.length);
  for (let v = 0; v < allowed.length; v++) allowed[v] = l.allowed[v] ? 0 : 1;
  return { mod: l.mod, allowed };
}

/** Adds a clause with one literal per module (literals on one module are OR-ed); drops tautologies. */
function pushClause(out: Clause[], rule: number, literals: Literal[]) {
  const byMod = new Map<number, Uint8Array>();
  for (const l of literals) {
    const prev = byMod.get(l.mod);
    if (!prev) byMod.set(l.mod, l.allowed.slice());
    else for (let v = 0; v < prev.length; v++) prev[v] = prev[v]! | l.allowed[v]!;
  }
  const merged: Literal[] = [];
  for (const [mod, allowed] of byMod) {
    let any = false;
    let all = true;
    for (let v = 0; v < allowed.length; v++) {
      if (allowed[v]) any = true;
      else all = false;
    }
    if (all) return; // always satisfied
    if (any) merged.push({ mod, allowed });
  }
  out.push({ rule, literals: merged });
}

function bestDiagram(sizes: Int32Array, clauses: Clause[], maxEntries: number): Diagram | null {
  let best: Diagram | null = null;
  for (const order of candidateOrders(sizes, clauses)) {
    const d = buildDiagram(
      sizes,
      clauses,
      order,
      best ? Math.min(maxEntries, best.table.length) : maxEntries,
    );
    if (d && (!best || d.table.length < best.table.length)) best = d;
  }
  return best;
}

/** Exact number of valid complete configurations (bigint, bottom-up over the diagram). */
function totalCount(d: Diagram, sizes: Int32Array): bigint {
  const counts: bigint[] = new Array(d.nodeCount + 1).fill(0n);
  counts[d.nodeCount] = 1n;
  for (let n = d.nodeCount - 1; n >= 0; n--) {
    let s = 0n;
    const start = d.tableStart[n]!;
    const end = d.tableStart[n + 1]!;
    for (let i = start; i < end; i++) {
      const c = d.table[i]!;
      if (c >= 0) s += counts[c]!;
    }
    counts[n] = s;
  }
  void sizes;
  return d.root < 0 ? 0n : counts[d.root]!;
}

function approximateBytes(cp: CompiledProduct): number {
  const d = cp.diagram;
  let bytes = d.table.byteLength + d.tableStart.byteLength + d.levelStart.byteLength + d.order.byteLength * 2;
  for (const c of cp.clauses) for (const l of c.literals) bytes += l.allowed.byteLength + 32;
  for (const m of cp.modules) {
    bytes += m.optionPrice.byteLength;
    // Strings and map entries: ~2 bytes a character plus ~48 bytes of map/array overhead per option.
    for (let v = 0; v < m.optionIds.length; v++)
      bytes += 2 * (m.optionIds[v]!.length + m.optionLabels[v]!.length + m.optionCodes[v]!.length) + 48;
  }
  return bytes;
}

/** A condition on one module as the set of its values that satisfy it; issues are reported with `path`. */
export function literalOf(
  modules: CompiledModule[],
  moduleIndex: Map<string, number>,
  atom: Atom,
  file: string,
  path: string,
  issues: CatalogIssue[],
): Literal | null {
  const mi = moduleIndex.get(atom.module);
  if (mi === undefined) {
    issues.push({ file, path: `${path}.module`, message: `unknown module "${atom.module}"` });
    return null;
  }
  const m = modules[mi]!;
  const allowed = new Uint8Array(m.size).fill(1);
  if (m.kind === 'text') {
    if (atom.in || atom.notIn || atom.attr !== undefined) {
      issues.push({
        file,
        path,
        message: `"${m.id}" is a text module: a condition on it can only use "present"`,
      });
      return null;
    }
    if (atom.present === true) allowed[0] = 0;
    if (atom.present === false) allowed[1] = 0;
    return { mod: mi, allowed };
  }
  if (atom.present !== undefined) {
    issues.push({
      file,
      path: `${path}.present`,
      message: `"present" applies to text modules; "${m.id}" is a choice`,
    });
    return null;
  }
  if (atom.in) {
    allowed.fill(0);
    atom.in.forEach((id, k) => {
      const oi = m.optionIndex.get(id);
      if (oi === undefined)
        issues.push({
          file,
          path: `${path}.in[${k}]`,
          message: `unknown option "${id}" of module "${m.id}"`,
        });
      else allowed[oi] = 1;
    });
  }
  atom.notIn?.forEach((id, k) => {
    const oi = m.optionIndex.get(id);
    if (oi === undefined)
      issues.push({
        file,
        path: `${path}.notIn[${k}]`,
        message: `unknown option "${id}" of module "${m.id}"`,
      });
    else allowed[oi] = 0;
  });
  if (atom.attr !== undefined) {
    const attr = atom.attr;
    if (!m.attrs.some((a) => a?.[attr] !== undefined)) {
      issues.push({
        file,
        path: `${path}.attr`,
        message: `no option of "${m.id}" has the attribute "${attr}"`,
      });
      return null;
    }
    for (let v = 0; v < m.size; v++) {
      const x = m.attrs[v]?.[attr];
      if (
        x === undefined ||
        (atom.min !== undefined && x < atom.min) ||
        (atom.max !== undefined && x > atom.max)
      )
        allowed[v] = 0;
    }
  }
  return { mod: mi, allowed };
}
