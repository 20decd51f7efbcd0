import { asc, eq } from 'drizzle-orm';
import { price, type Selection, specCode } from '../../../catalog/index';
import { orderLines } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { type OptionSnapshot, snapshotOptions } from '../catalog/configuration';
import { checkAgainstToday, findOwnSpec } from '../specs/view';
import type { ShipTo } from './payloads';
import { findOwnOrder } from './read';

interface Source {
  productId: string;
  selection: Selection;
  snapshot: OptionSnapshot[];
  quantity: number;
  unitPriceThen: number | null;
  specCodeThen: string;
  specId?: string;
  /** What was bought, when the line now follows its spec's current version instead. */
  selectionThen?: Selection;
  /** The spec version the draft follows (after a fit adjustment, a newer one than was bought). */
  specVersion?: number;
  /** The body measurements the line is cut to (the spec's, or the order line's). */
  measurements?: unknown;
}

/**
 * A new order draft from something bought or saved before, re-checked against today's catalog:
 * each line says what it cost then and costs now, and any option that no longer exists with
 * the nearest valid replacement. Nothing is written; POST `orderRequest` to /api/orders to buy.
 */
function draft(deps: AppDeps, sources: Source[], shipTo: ShipTo | null, source: Record<string, string>) {
  let currency: string | null = null;
  const lines = sources.map((s) => {
    const v = checkAgainstToday(deps.catalog, s.productId, s.selection, s.snapshot);
    const cp = deps.catalog.products.get(s.productId);
    const selectionNow = v.valid ? s.selection : (v.alternative?.selection ?? null);
    const priceNow = cp && selectionNow ? price(cp, selectionNow) : null;
    if (priceNow) currency ??= priceNow.currency;
    // Only a line POST /api/orders will take goes into `orderRequest` (a repair that still needs
    // text typed, `text_required`, is shown in `now` but left out until the customer types it).
    const orderable = selectionNow !== null && (v.valid || v.alternative?.complete === true);
    return {
      productId: s.productId,
      quantity: s.quantity,
      ...(s.specId ? { specId: s.specId } : {}),
      ...(s.specVersion !== undefined ? { specVersion: s.specVersion } : {}),
      orderable,
      changed: !v.valid,
      // A spec line whose spec still stands is ordered by its id, so the new order stays linked to
      // the spec (and to the fit feedback that will adjust it next).
      orderBySpec: s.specId !== undefined && s.specVersion !== undefined && v.valid,
      ...(s.measurements ? { measurements: s.measurements } : {}),
      then: {
        selection: s.selectionThen ?? s.selection,
        specCode: s.specCodeThen,
        unitPrice: s.unitPriceThen,
        options: s.snapshot.map(({ attrs: _a, ...o }) => o),
      },
      now:
        cp && selectionNow && priceNow
          ? {
              selection: selectionNow,
              specCode: specCode(cp, selectionNow),
              unitPrice: priceNow.total,
              price: priceNow,
              options: snapshotOptions(cp, selectionNow).map(({ attrs: _a, ...o }) => o),
            }
          : null,
      changes: v.changes,
      errors: v.errors,
    };
  });
  const orderable = lines.filter((l) => l.orderable && l.now);
  return {
    source,
    catalogVersion: deps.catalog.version,
    currency,
    totalThen: lines.every((l) => l.then.unitPrice !== null)
      ? lines.reduce((s, l) => s + (l.then.unitPrice ?? 0) * l.quantity, 0)
      : null,
    totalNow: orderable.reduce((s, l) => s + l.now!.unitPrice * l.quantity, 0),
    lines,
    orderRequest: {
      lines: orderable.map((l) =>
        l.orderBySpec && l.specId
          ? { specId: l.specId, quantity: l.quantity }
          : {
              productId: l.productId,
              selection: l.now!.selection,
              quantity: l.quantity,
              // A spec line repaired for today's catalog is ordered as a product line: it keeps the
              // measurements the supplier cuts to.
              ...(l.measurements ? { measurements: l.measurements } : {}),
            },
      ),
      ...(shipTo ? { shipTo } : {}),
    },
  };
}

export function reorderFromOrder(deps: AppDeps, customerId: string, orderId: string) {
  const order = findOwnOrder(deps, customerId, orderId);
  const lines = deps.db
    .select()
    .from(orderLines)
    .where(eq(orderLines.orderId, orderId))
    .orderBy(asc(orderLines.position))
    .all();
  return draft(
    deps,
    lines.map((l) => {
      const bought = JSON.parse(l.selection) as Selection;
      const line: Source = {
        productId: l.productId,
        selection: bought,
        snapshot: JSON.parse(l.options) as OptionSnapshot[],
        quantity: l.quantity,
        unitPriceThen: l.unitPrice,
        specCodeThen: l.specCode,
        ...(l.measurements ? { measurements: JSON.parse(l.measurements) as unknown } : {}),
      };
      if (!l.specId) return line;
      // A line made from a spec reorders the spec as it is now: an accepted fit adjustment since
      // the order (a new spec version) is what the customer wants next, not the old size.
      const spec = findSpecIfOwned(deps, customerId, l.specId);
      if (!spec) return line;
      return {
        ...line,
        selection: JSON.parse(spec.selection) as Selection,
        snapshot: JSON.parse(spec.labels) as OptionSnapshot[],
        specId: spec.id,
        specVersion: spec.version,
        selectionThen: bought,
        measurements: spec.measurements ? (JSON.parse(spec.measurements) as unknown) : undefined,
      };
    }),
    JSON.parse(order.shipTo) as ShipTo,
    { orderId },
  );
}

function findSpecIfOwned(deps: AppDeps, customerId: string, specId: string) {
  try {
    return findOwnSpec(deps, customerId, specId);
  } catch {
    return null; // deleted since: reorder what was bought
  }
}

export function reorderFromSpec(deps: AppDeps, customerId: string, specId: string) {
  const spec = findOwnSpec(deps, customerId, specId);
  const selection = JSON.parse(spec.selection) as Selection;
  const cpThen = deps.catalog.products.get(spec.productId);
  // The price "then" is what the spec cost when saved only if its catalog version is today's.
  const thenPrice =
    cpThen && cpThen.product.version === spec.catalogVersion ? price(cpThen, selection).total : null;
  return draft(
    deps,
    [
      {
        productId: spec.productId,
        selection,
        snapshot: JSON.parse(spec.labels) as OptionSnapshot[],
        quantity: 1,
        unitPriceThen: thenPrice,
        specCodeThen: spec.specCode,
        specId,
        specVersion: spec.version,
        ...(spec.measurements ? { measurements: JSON.parse(spec.measurements) as unknown } : {}),
      },
    ],
    null,
    { specId },
  );
}
