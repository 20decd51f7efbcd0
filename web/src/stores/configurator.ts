import { type Accessor, createMemo } from 'solid-js';
import {
  availableOptions,
  type CompiledProduct,
  count,
  type ModuleAvailability,
  type Price,
  price,
  type Selection,
  specCode,
  type ValidationResult,
  validate,
} from '../engine';

export interface ConfiguratorState {
  validation: Accessor<ValidationResult>;
  price: Accessor<Price>;
  availability: Accessor<Map<string, ModuleAvailability>>;
  remaining: Accessor<bigint>;
  specCode: Accessor<string | undefined>;
  complete: Accessor<boolean>;
}

/**
 * Everything the configurator shows, derived from the compiled product and the current
 * selection with the shared engine. Memos, so one pick recomputes each answer once.
 */
export function createConfigurator(
  cp: Accessor<CompiledProduct>,
  selection: Accessor<Selection>,
): ConfiguratorState {
  const validation = createMemo(() => validate(cp(), selection()));
  const priced = createMemo(() => price(cp(), selection()));
  const availability = createMemo(() => {
    const map = new Map<string, ModuleAvailability>();
    for (const m of availableOptions(cp(), selection(), { reasons: true })) map.set(m.id, m);
    return map;
  });
  const remaining = createMemo(() => {
    try {
      return count(cp(), selection());
    } catch {
      return 0n;
    }
  });
  const complete = createMemo(() => validation().valid && validation().complete);
  const code = createMemo(() => {
    if (!complete()) return undefined;
    try {
      return specCode(cp(), selection());
    } catch {
      return undefined;
    }
  });
  return { validation, price: priced, availability, remaining, specCode: code, complete };
}

/** Only the keys that are modules of the product, with values of the right kind. */
export function selectionFromParams(
  cp: CompiledProduct,
  params: Record<string, string | string[] | undefined>,
): Selection {
  const out: Selection = {};
  for (const m of cp.modules) {
    const raw = params[m.id];
    const v = Array.isArray(raw) ? raw[0] : raw;
    if (typeof v === 'string' && v !== '') out[m.id] = v;
  }
  return out;
}

/**
 * `given` plus the catalog's defaults for the modules it leaves open that a shopper does not have
 * to measure for, each only where it still leaves a valid configuration (a link's `fit=skinny`
 * keeps stretch open rather than taking the default "none"). The same object when nothing is added.
 */
export function withDefaults(cp: CompiledProduct, given: Selection): Selection {
  let out = given;
  for (const m of cp.product.modules) {
    if (m.kind === 'choice' && m.default && m.display !== 'size' && !out[m.id]) {
      const next = { ...out, [m.id]: m.default };
      if (count(cp, next) > 0n) out = next;
    }
  }
  return out;
}
