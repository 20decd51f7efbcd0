import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { customers } from './customers';
import { orderLines, orders } from './orders';

// The learning loop: what customers told us after delivery, what we changed because of it,
// what we remade, and what they complained about. Times are integer ms since the epoch.

/**
 * Fit feedback on one delivered order line: the structured answers per fit area, free text,
 * the engine's proposal, and the customer's decision. One per line.
 */
export const fitFeedback = sqliteTable(
  'fit_feedback',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    lineId: text('line_id')
      .notNull()
      .references(() => orderLines.id),
    productId: text('product_id').notNull(),
    /** The spec the line was ordered from (if any) and its version then. */
    specId: text('spec_id'),
    specVersion: integer('spec_version'),
    /** JSON `{ [areaId]: 'too_tight' | 'right' | ... }`. */
    answers: text('answers').notNull(),
    /** 'right' when every area was right, else 'adjust' (indexed for the charts). */
    verdict: text('verdict', { enum: ['right', 'adjust'] }).notNull(),
    comment: text('comment'),
    /** JSON `{ before, selection, specCode, changes, summary, unchanged }`, or null when all was right. */
    proposal: text('proposal'),
    decision: text('decision', { enum: ['none', 'pending', 'accepted', 'declined'] }).notNull(),
    decidedAt: integer('decided_at'),
    /** The spec version accepting wrote. */
    resultSpecId: text('result_spec_id'),
    resultSpecVersion: integer('result_spec_version'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('fit_feedback_line_idx').on(t.lineId),
    index('fit_feedback_customer_idx').on(t.customerId, t.createdAt),
    index('fit_feedback_order_idx').on(t.orderId),
    index('fit_feedback_created_idx').on(t.createdAt, t.verdict),
  ],
);

/** Each module an accepted proposal changed: "which sizes run small", without parsing JSON. */
export const fitAdjustments = sqliteTable(
  'fit_adjustments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    feedbackId: text('feedback_id')
      .notNull()
      .references(() => fitFeedback.id, { onDelete: 'cascade' }),
    productId: text('product_id').notNull(),
    module: text('module').notNull(),
    fromOption: text('from_option'),
    toOption: text('to_option'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('fit_adjustments_module_idx').on(t.productId, t.module)],
);

/** A remake: a free child order for a line that did not fit or was faulty. */
export const remakes = sqliteTable(
  'remakes',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    productId: text('product_id').notNull(),
    parentOrderId: text('parent_order_id')
      .notNull()
      .references(() => orders.id),
    parentLineId: text('parent_line_id')
      .notNull()
      .references(() => orderLines.id),
    childOrderId: text('child_order_id')
      .notNull()
      .references(() => orders.id),
    /** The supplier that made the original line: remakes count against its quality. */
    supplierId: text('supplier_id').notNull(),
    reason: text('reason', { enum: ['fit', 'defect', 'other'] }).notNull(),
    detail: text('detail'),
    feedbackId: text('feedback_id').references(() => fitFeedback.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('remakes_customer_product_idx').on(t.customerId, t.productId),
    index('remakes_parent_idx').on(t.parentOrderId),
    uniqueIndex('remakes_child_idx').on(t.childOrderId),
    index('remakes_supplier_idx').on(t.supplierId),
  ],
);

export const COMPLAINT_CATEGORIES = [
  'damaged',
  'late',
  'wrong_item',
  'fit',
  'quality',
  'billing',
  'question',
  'other',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/** A complaint or question about an order, and how it was settled. */
export const complaints = sqliteTable(
  'complaints',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    category: text('category', { enum: COMPLAINT_CATEGORIES }).notNull(),
    status: text('status', { enum: ['open', 'resolved'] }).notNull(),
    message: text('message').notNull(),
    /** Customer contacts it took: 1 = settled at the first contact. */
    contacts: integer('contacts').notNull().default(1),
    resolution: text('resolution'),
    resolvedAt: integer('resolved_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('complaints_customer_idx').on(t.customerId, t.createdAt),
    index('complaints_order_idx').on(t.orderId),
    index('complaints_created_idx').on(t.createdAt, t.category),
  ],
);

/** The conversation on a complaint: each customer follow-up is one more contact. */
export const complaintMessages = sqliteTable(
  'complaint_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    complaintId: text('complaint_id')
      .notNull()
      .references(() => complaints.id, { onDelete: 'cascade' }),
    author: text('author', { enum: ['customer', 'operator'] }).notNull(),
    body: text('body').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('complaint_messages_complaint_idx').on(t.complaintId, t.at)],
);

export type FitFeedbackRow = typeof fitFeedback.$inferSelect;
export type RemakeRow = typeof remakes.$inferSelect;
export type ComplaintRow = typeof complaints.$inferSelect;
