import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customers } from './customers';

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    status: text('status').notNull(),
    currency: text('currency').notNull(),
    total: integer('total').notNull(),
    /** JSON shipTo as given (validated). */
    shipTo: text('ship_to').notNull(),
    threePlId: text('three_pl_id').notNull(),
    threePlRoute: text('three_pl_route').notNull(),
    threePlReason: text('three_pl_reason').notNull(),
    catalogVersion: text('catalog_version').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  // One index per customer serves both the order history (customer, newest first) and the
  // console's per-customer value queries (status and total are carried so they never read the wide
  // row). Every order lands on a random leaf of a customer-led index, so a second one cost a page
  // write per order at every commit (docs/decisions/044).
  (t) => [index('orders_customer_idx').on(t.customerId, t.createdAt, t.id, t.status, t.total)],
);

/** An order line: an immutable snapshot of what was bought, at what price, made by whom. */
export const orderLines = sqliteTable(
  'order_lines',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    position: integer('position').notNull(),
    productId: text('product_id').notNull(),
    /** The product's name when ordered (null on lines placed before migration 0007). */
    productName: text('product_name'),
    productVersion: text('product_version').notNull(),
    specId: text('spec_id'),
    selection: text('selection').notNull(),
    specCode: text('spec_code').notNull(),
    /** JSON `[{ moduleId, optionId, label, attrs? }]`: what the options were called when ordered. */
    options: text('options').notNull(),
    measurements: text('measurements'),
    quantity: integer('quantity').notNull(),
    unitPrice: integer('unit_price').notNull(),
    /** JSON price breakdown of one unit. */
    priceLines: text('price_lines').notNull(),
    supplierId: text('supplier_id').notNull(),
    routeId: text('route_id').notNull(),
    routeReason: text('route_reason').notNull(),
    status: text('status').notNull(),
  },
  // supplier_id rides along so the console's supplier queries are covered by this one index.
  (t) => [index('order_lines_order_idx').on(t.orderId, t.position, t.supplierId)],
);

/** The order's timeline: append-only. */
export const orderEvents = sqliteTable(
  'order_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    status: text('status').notNull(),
    at: integer('at').notNull(),
    detail: text('detail'),
    /** `customer`, `system` or `partner:<id>`. */
    source: text('source').notNull(),
    /** JSON array of line ids the event concerns, or null for the whole order. */
    lineIds: text('line_ids'),
  },
  (t) => [
    index('order_events_order_idx').on(t.orderId, t.at),
    // The line-scoped events (partners' production events) with the lines they moved, for the
    // console's per-supplier days to produced. Partial: the `placed` event every order writes has no
    // line ids, so placing an order writes nothing here.
    index('order_events_lines_idx').on(t.orderId, t.at, t.source, t.lineIds).where(sql`line_ids IS NOT NULL`),
  ],
);

export const shipments = sqliteTable(
  'shipments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    partnerId: text('partner_id').notNull(),
    carrier: text('carrier').notNull(),
    trackingNumber: text('tracking_number').notNull(),
    trackingUrl: text('tracking_url'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('shipments_order_idx').on(t.orderId)],
);

/**
 * Completed idempotent requests per customer: the stored response is replayed for the same key
 * and body. In-flight requests are tracked in memory (one process owns the database).
 * `response_body` is null for a placed order: the response is the order as placed, rebuilt from
 * its immutable rows on replay, instead of a 2.6 KB copy written with every order (decision 044).
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    customerId: text('customer_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status').notNull(),
    responseBody: text('response_body'),
    orderId: text('order_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.key] }),
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);
