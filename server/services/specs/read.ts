import { asc, desc, eq } from 'drizzle-orm';
import type { Selection } from '../../../catalog/index';
import { specs, specVersions } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import type { OptionSnapshot } from '../catalog/configuration';
import { checkAgainstToday, findOwnSpec, specView } from './view';

export function listSpecs(deps: AppDeps, customerId: string) {
  return deps.db
    .select()
    .from(specs)
    .where(eq(specs.customerId, customerId))
    .orderBy(desc(specs.updatedAt), asc(specs.id))
    .all()
    .map(specView);
}

/** One spec with whether it still holds in today's catalog (and the nearest alternative if not). */
export function getSpec(deps: AppDeps, customerId: string, specId: string) {
  const row = findOwnSpec(deps, customerId, specId);
  const validity = checkAgainstToday(
    deps.catalog,
    row.productId,
    JSON.parse(row.selection) as Selection,
    JSON.parse(row.labels) as OptionSnapshot[],
  );
  return { ...specView(row), validity };
}

export function listSpecVersions(deps: AppDeps, customerId: string, specId: string) {
  findOwnSpec(deps, customerId, specId);
  return deps.db
    .select()
    .from(specVersions)
    .where(eq(specVersions.specId, specId))
    .orderBy(desc(specVersions.version))
    .all()
    .map((v) => ({
      version: v.version,
      name: v.name,
      selection: JSON.parse(v.selection) as Selection,
      specCode: v.specCode,
      ...(v.measurements ? { measurements: JSON.parse(v.measurements) } : {}),
      catalogVersion: v.catalogVersion,
      createdAt: new Date(v.createdAt).toISOString(),
    }));
}
