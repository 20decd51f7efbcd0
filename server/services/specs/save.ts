import type { Selection } from '../../../catalog/index';
import { specs, specVersions } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { checkConfiguration, findProduct } from '../catalog/configuration';
import { newId } from '../ids';
import { specView } from './view';

export interface MeasurementsInput {
  unit: 'in' | 'cm';
  values: Record<string, number>;
}

/** Remembers a valid, complete configuration (422 naming the modules at fault otherwise). */
export function saveSpec(
  deps: AppDeps,
  customerId: string,
  input: { name: string; productId: string; selection: Selection; measurements?: MeasurementsInput | null },
) {
  const cp = findProduct(deps.catalog, input.productId);
  const checked = checkConfiguration(cp, input.selection, 'selection.');
  const now = deps.now().getTime();
  const row = {
    id: newId('spec'),
    customerId,
    name: input.name.normalize('NFC'),
    productId: cp.product.id,
    selection: JSON.stringify(checked.selection),
    specCode: checked.specCode,
    measurements: input.measurements ? JSON.stringify(input.measurements) : null,
    catalogVersion: cp.product.version,
    labels: JSON.stringify(checked.options),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  deps.sqlite
    .transaction(() => {
      deps.db.insert(specs).values(row).run();
      deps.db
        .insert(specVersions)
        .values({
          specId: row.id,
          version: 1,
          name: row.name,
          selection: row.selection,
          specCode: row.specCode,
          measurements: row.measurements,
          catalogVersion: row.catalogVersion,
          createdAt: now,
        })
        .run();
    })
    .immediate();
  return specView(row);
}
