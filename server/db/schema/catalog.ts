import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Each product version the shop has served, with a fingerprint of its definition: specs and order
 * lines name a product version, so one version must always mean one definition. A product whose
 * definition changed under an unchanged `version` is refused at start (server/catalog-versions.ts).
 */
export const catalogVersions = sqliteTable(
  'catalog_versions',
  {
    productId: text('product_id').notNull(),
    version: text('version').notNull(),
    /** SHA-256 (base64url) of the compiled product definition as JSON. */
    fingerprint: text('fingerprint').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.version] })],
);
