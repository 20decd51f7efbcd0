import { and, eq } from 'drizzle-orm';
import type { Selection } from '../../../catalog/index';
import { specs, specVersions } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';
import { checkConfiguration } from '../catalog/configuration';
import type { MeasurementsInput } from './save';
import { findOwnSpec, specView } from './view';

/**
 * Changes a spec and keeps what it was: every change is a new version in `spec_versions`, so a
 * fit adjustment after delivery can be traced back. A new selection is re-checked against
 * today's catalog and moves the spec to today's catalog version.
 */
export function updateSpec(
  deps: AppDeps,
  customerId: string,
  specId: string,
  patch: {
    name?: string;
    productId?: string;
    selection?: Selection;
    measurements?: MeasurementsInput | null;
  },
) {
  return deps.sqlite
    .transaction(() => {
      const row = findOwnSpec(deps, customerId, specId);
      if (patch.productId !== undefined && patch.productId !== row.productId)
        throw new DomainError(
          'validation_failed',
          "A spec's product cannot change; save a new spec instead",
          {
            errors: [
              {
                path: 'productId',
                code: 'immutable',
                message: `this spec is for "${row.productId}"`,
              },
            ],
          },
        );
      const next = { ...row };
      if (patch.name !== undefined) next.name = patch.name.normalize('NFC');
      if (patch.measurements !== undefined)
        next.measurements = patch.measurements ? JSON.stringify(patch.measurements) : null;
      if (patch.selection !== undefined) {
        const cp = deps.catalog.products.get(row.productId);
        if (!cp) throw new DomainError('invalid_configuration', `"${row.productId}" is no longer sold`);
        const checked = checkConfiguration(cp, patch.selection, 'selection.');
        next.selection = JSON.stringify(checked.selection);
        next.specCode = checked.specCode;
        next.labels = JSON.stringify(checked.options);
        next.catalogVersion = cp.product.version;
      }
      const changed =
        next.name !== row.name ||
        next.measurements !== row.measurements ||
        next.selection !== row.selection ||
        next.catalogVersion !== row.catalogVersion;
      if (!changed) return specView(row);
      next.version = row.version + 1;
      next.updatedAt = Math.max(deps.now().getTime(), row.updatedAt);
      deps.db
        .update(specs)
        .set({
          name: next.name,
          selection: next.selection,
          specCode: next.specCode,
          measurements: next.measurements,
          catalogVersion: next.catalogVersion,
          labels: next.labels,
          version: next.version,
          updatedAt: next.updatedAt,
        })
        .where(and(eq(specs.id, row.id), eq(specs.customerId, customerId)))
        .run();
      deps.db
        .insert(specVersions)
        .values({
          specId: row.id,
          version: next.version,
          name: next.name,
          selection: next.selection,
          specCode: next.specCode,
          measurements: next.measurements,
          catalogVersion: next.catalogVersion,
          createdAt: next.updatedAt,
        })
        .run();
      return specView(next);
    })
    .immediate();
}
