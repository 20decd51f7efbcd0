import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers';

/** A customer's remembered configuration: the current version. */
export const specs = sqliteTable(
  'specs',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    productId: text('product_id').notNull(),
    /** JSON `{ [moduleId]: optionId | text }`. */
    selection: text('selection').notNull(),
    specCode: text('spec_code').notNull(),
    /** JSON `{ unit, values }` or null. */
    measurements: text('measurements'),
    catalogVersion: text('catalog_version').notNull(),
    /** Option labels at save time (JSON), so a retired option can still be named and matched. */
    labels: text('labels').notNull(),
    version: integer('version').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('specs_customer_idx').on(t.customerId, t.createdAt)],
);

/** Every version a spec has had (including the current one): the fit history. */
export const specVersions = sqliteTable(
  'spec_versions',
  {
    specId: text('spec_id')
      .notNull()
      .references(() => specs.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    selection: text('selection').notNull(),
    specCode: text('spec_code').notNull(),
    measurements: text('measurements'),
    catalogVersion: text('catalog_version').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.specId, t.version] })],
);
