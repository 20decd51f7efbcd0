import { and, eq } from 'drizzle-orm';
import { specs } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { findOwnSpec } from './view';

/** Forgets a spec and its history. Orders placed from it keep their own snapshot. */
export function deleteSpec(deps: AppDeps, customerId: string, specId: string): void {
  deps.sqlite
    .transaction(() => {
      findOwnSpec(deps, customerId, specId);
      deps.db
        .delete(specs)
        .where(and(eq(specs.id, specId), eq(specs.customerId, customerId)))
        .run();
    })
    .immediate();
}
