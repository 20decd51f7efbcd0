import type { CompiledProduct, Literal } from './engine/types';
import { EngineError } from './errors';
import type { PartnerDef } from './schema';

export interface RouteChoice {
  partnerId: string;
  /** The routing rule that chose the partner. */
  routeId: string;
  /** Why this partner, in words an operator can read. */
  reason: string;
}

export interface CompiledRouting {
  partners: PartnerDef[];
  suppliers: Array<{
    id: string;
    partner: string;
    reason: string;
    products?: Set<string>;
    when: Map<string, Literal[]>;
  }>;
  threePls: Array<{ id: string; partner: string; reason: string; countries?: Set<string> }>;
}

export interface RouteOptions {
  /** Partners that must not be chosen (disabled by an operator); the next matching route wins. */
  unavailable?: ReadonlySet<string>;
}

/**
 * The supplier that makes one line: the first supplier route whose product list and option
 * conditions match the selection, with the route that chose it. Throws EngineError
 * `unroutable` when no enabled route matches.
 */
export function routeLine(
  routing: CompiledRouting,
  product: CompiledProduct,
  selection: Record<string, string>,
  options: RouteOptions = {},
): RouteChoice {
  for (const r of routing.suppliers) {
    if (options.unavailable?.has(r.partner)) continue;
    if (r.products && !r.products.has(product.product.id)) continue;
    const lits = r.when.get(product.product.id);
    if (r.when.size > 0 && !lits) continue;
    if (lits?.some((l) => !matches(product, l, selection))) continue;
    return { partnerId: r.partner, routeId: r.id, reason: r.reason };
  }
  throw new EngineError('unroutable', `no enabled supplier makes this ${product.product.name}`);
}

/** The 3PL that ships to a country: first route listing it, else the first route with no list. */
export function routeThreePl(
  routing: CompiledRouting,
  country: string,
  options: RouteOptions = {},
): RouteChoice {
  for (const r of routing.threePls) {
    if (options.unavailable?.has(r.partner)) continue;
    if (r.countries && !r.countries.has(country)) continue;
    return { partnerId: r.partner, routeId: r.id, reason: r.reason };
  }
  throw new EngineError('unroutable', `no enabled warehouse ships to ${country}`);
}

/** A supplier for every line and one 3PL for the order, each with the rule that chose it. */
export function routeOrder(
  routing: CompiledRouting,
  order: { lines: Array<{ product: CompiledProduct; selection: Record<string, string> }>; country: string },
  options: RouteOptions = {},
): { lines: RouteChoice[]; threePl: RouteChoice } {
  return {
    lines: order.lines.map((l) => routeLine(routing, l.product, l.selection, options)),
    threePl: routeThreePl(routing, order.country, options),
  };
}

function matches(cp: CompiledProduct, lit: Literal, selection: Record<string, string>): boolean {
  const m = cp.modules[lit.mod]!;
  const raw = selection[m.id];
  if (m.kind === 'text') return lit.allowed[raw ? 1 : 0] === 1;
  const v = raw === undefined ? undefined : m.optionIndex.get(raw);
  return v !== undefined && lit.allowed[v] === 1;
}
