import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { Catalog } from '../../catalog/index';
import { partners } from '../db/schema/webhooks';
import { newWebhookSecret } from './secrets';

/**
 * Inserts every catalog partner that the database does not know yet, with a fresh secret.
 * Existing rows are never touched: the URL, enabled flag and secret belong to operators once
 * seeded, and a catalog reload must not undo their changes or invalidate a partner's secret.
 */
export function seedPartners<S extends Record<string, unknown>>(
  db: BetterSQLite3Database<S>,
  catalog: Pick<Catalog, 'partners'>,
  now: () => Date = () => new Date(),
): { inserted: string[] } {
  const at = now().getTime();
  const inserted: string[] = [];
  db.transaction((tx) => {
    for (const p of catalog.partners) {
      const res = tx
        .insert(partners)
        .values({
          id: p.id,
          name: p.name,
          kind: p.kind,
          url: p.url ?? null,
          enabled: true,
          secret: newWebhookSecret(),
          createdAt: at,
          updatedAt: at,
        })
        .onConflictDoNothing({ target: partners.id })
        .run();
      if (res.changes > 0) inserted.push(p.id);
    }
  });
  return { inserted };
}
