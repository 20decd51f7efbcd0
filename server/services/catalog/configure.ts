import {
  availableOptions,
  count,
  explainAvailability,
  explainErrors,
  price,
  type Selection,
  specCode,
  validate,
} from '../../../catalog/index';
import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';
import { engineFieldErrors, findProduct } from './configuration';

/** Codes that mean the selection does not fit the product at all (not merely conflicting choices). */
const STRUCTURAL = new Set(['unknown_module', 'unknown_option', 'not_text']);
/** Codes for a free text the product will never accept as typed. */
const BAD_TEXT = new Set(['text_length', 'text_pattern']);

/**
 * The engine's whole answer for a (partial) selection: what is still available and why not,
 * how many valid completions remain, and the price and spec code once it can be ordered.
 */
export function configure(
  deps: Pick<AppDeps, 'catalog'>,
  input: { productId: string; selection: Selection },
) {
  const cp = findProduct(deps.catalog, input.productId);
  const v = validate(cp, input.selection);
  const structural = v.errors.filter((e) => STRUCTURAL.has(e.code));
  if (structural.length)
    throw new DomainError(
      'invalid_configuration',
      'The selection names modules or options this product does not have',
      {
        errors: engineFieldErrors(structural),
      },
    );
  // The engine sees a text module only as filled or empty, so a text it will never accept (too
  // long, characters that cannot be stitched) still counts as filled there. No valid completion
  // extends such a selection: nothing is available until the text is fixed.
  const badText = v.errors.filter((e) => BAD_TEXT.has(e.code));
  const blocked = badText.length
    ? { reasons: badText.map((e) => e.message), change: badText.map((e) => e.module) }
    : undefined;
  const n = blocked ? 0n : count(cp, input.selection);
  // The engine's answer as the browser gets it, with conflicts explained by the rules that
  // make them (catalog/engine/conflict.ts; kept out of the browser bundle, decision 034).
  const answer = blocked
    ? availableOptions(cp, input.selection, { reasons: true })
    : explainAvailability(cp, input.selection, availableOptions(cp, input.selection, { reasons: true }));
  const errors = explainErrors(cp, input.selection, v.errors);
  const modules = answer.map((m) => ({
    id: m.id,
    kind: m.kind,
    ...(m.available !== undefined ? { available: m.available } : {}),
    ...(m.reasons ? { reasons: m.reasons } : {}),
    options: m.options.map((o) =>
      blocked
        ? { id: o.id, available: false, ...blocked }
        : {
            id: o.id,
            available: o.available,
            ...(o.reasons ? { reasons: o.reasons } : {}),
            ...(o.change ? { change: o.change } : {}),
          },
    ),
  }));
  const orderable = v.valid && v.complete;
  return {
    productId: cp.product.id,
    catalogVersion: cp.product.version,
    complete: v.complete,
    valid: v.valid,
    count: n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString(),
    modules,
    errors: engineFieldErrors(errors.filter((e) => e.code !== 'missing')),
    missing: errors.filter((e) => e.code === 'missing').map((e) => e.module),
    ...(v.valid ? { price: price(cp, input.selection) } : {}),
    ...(orderable ? { specCode: specCode(cp, input.selection) } : {}),
  };
}
