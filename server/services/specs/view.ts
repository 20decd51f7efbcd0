import { and, eq } from 'drizzle-orm';
import {
  type Catalog,
  explainErrors,
  nearestValid,
  type Selection,
  specCode,
  validate,
} from '../../../catalog/index';
import { specs } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';
import { engineFieldErrors, type OptionSnapshot, snapshotOptions } from '../catalog/configuration';

export type SpecRow = typeof specs.$inferSelect;

/** The spec as the API shows it. */
export function specView(row: SpecRow) {
  return {
    id: row.id,
    name: row.name,
    productId: row.productId,
    selection: JSON.parse(row.selection) as Selection,
    specCode: row.specCode,
    ...(row.measurements ? { measurements: JSON.parse(row.measurements) } : {}),
    catalogVersion: row.catalogVersion,
    version: row.version,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** The customer's own spec, or 404 (a foreign id looks exactly like a missing one). */
export function findOwnSpec(deps: AppDeps, customerId: string, specId: string, path?: string): SpecRow {
  const row = deps.db
    .select()
    .from(specs)
    .where(and(eq(specs.id, specId), eq(specs.customerId, customerId)))
    .get();
  if (!row)
    throw new DomainError('not_found', `There is no spec "${specId}"`, {
      ...(path
        ? { errors: [{ path, code: 'unknown_spec', message: `no spec "${specId}" in your account` }] }
        : {}),
    });
  return row;
}

/** Retired-option hints for `nearestValid`, from the labels a spec or order line saved. */
export function retiredHints(
  snapshot: OptionSnapshot[],
): Record<string, { attrs?: Record<string, number>; label?: string }> {
  const out: Record<string, { attrs?: Record<string, number>; label?: string }> = {};
  for (const o of snapshot) out[o.moduleId] = { label: o.label, ...(o.attrs ? { attrs: o.attrs } : {}) };
  return out;
}

/**
 * Whether a saved configuration can still be ordered in today's catalog; if not, which modules
 * changed and the nearest valid alternative the engine finds (retired options matched by their
 * saved attributes and labels).
 */
export function checkAgainstToday(
  catalog: Catalog,
  productId: string,
  selection: Selection,
  snapshot: OptionSnapshot[],
) {
  const cp = catalog.products.get(productId);
  if (!cp)
    return {
      valid: false,
      catalogVersion: null,
      productAvailable: false,
      errors: [{ path: 'productId', code: 'unknown_product', message: `"${productId}" is no longer sold` }],
      changes: [],
    };
  const v = validate(cp, selection);
  if (v.valid && v.complete)
    return {
      valid: true,
      catalogVersion: cp.product.version,
      productAvailable: true,
      errors: [],
      changes: [],
    };
  const nearest = nearestValid(cp, selection, { retired: retiredHints(snapshot) });
  const labelOf = (moduleId: string, optionId: string | undefined) => {
    if (optionId === undefined) return undefined;
    const m = cp.modules[cp.moduleIndex.get(moduleId) ?? -1];
    const i = m?.optionIndex.get(optionId);
    if (m && i !== undefined) return m.optionLabels[i];
    return snapshot.find((o) => o.moduleId === moduleId && o.optionId === optionId)?.label ?? optionId;
  };
  return {
    valid: false,
    catalogVersion: cp.product.version,
    productAvailable: true,
    errors: engineFieldErrors(explainErrors(cp, selection, v.errors)),
    changes: nearest.changes.map((c) => ({
      module: c.module,
      ...(c.from !== undefined ? { from: c.from, fromLabel: labelOf(c.module, c.from) } : {}),
      ...(c.to !== undefined ? { to: c.to, toLabel: labelOf(c.module, c.to) } : {}),
      why: c.why,
    })),
    alternative: {
      // False when the rules now demand text the saved selection lacks (a monogram made required):
      // the engine cannot type it, so the customer has to before this can be ordered.
      complete: validate(cp, nearest.selection).complete,
      selection: nearest.selection,
      specCode: specCode(cp, nearest.selection),
      options: snapshotOptions(cp, nearest.selection).map(({ attrs: _a, ...o }) => o),
    },
  };
}
