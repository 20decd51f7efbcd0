import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Times are integer milliseconds since the epoch throughout: the dispatcher compares them on
// every poll, and integers index and sort without date parsing.

/** Suppliers and 3PLs; seeded from the catalog by id, then owned by operators (URL, enabled, secret). */
export const partners = sqliteTable('partners', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['supplier', '3pl'] }).notNull(),
  url: text('url'),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** `whsec_` + base64 of at least 24 random bytes. */
  secret: text('secret').notNull(),
  /** The secret before the last rotation; still signs (and verifies) until it expires. */
  previousSecret: text('previous_secret'),
  previousSecretExpiresAt: integer('previous_secret_expires_at'),
  /** Why the partner was disabled automatically (e.g. it answered 410 Gone). */
  disabledReason: text('disabled_reason'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * The outbox: one row per message to one partner, written in the same transaction as the change
 * that causes it. The row id is the Standard Webhooks `webhook-id`, stable across retries.
 * The body lives in `webhook_payloads` (written once, with this row): this row holds only the
 * delivery state the dispatcher rewrites on every claim and result, so those rewrites touch
 * ~100-byte rows (dozens per page) instead of 1.4 KB ones (docs/decisions/026).
 */
export const webhookMessages = sqliteTable(
  'webhook_messages',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    eventType: text('event_type').notNull(),
    orderId: text('order_id'),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    deliveredAt: integer('delivered_at'),
    /** Lease: a dispatcher that claimed the row owns it until then (a crashed one's lease lapses). */
    claimedUntil: integer('claimed_until'),
    /**
     * An operator redelivered the row while a dispatcher held it (an attempt in flight or about to
     * be): the claim is left alone, and the attempt's result starts the fresh round unless it
     * delivered (docs/decisions/028). Null otherwise.
     */
    redeliverRequestedAt: integer('redeliver_requested_at'),
  },
  (t) => [
    index('webhook_messages_status_next_idx').on(t.status, t.nextAttemptAt),
    index('webhook_messages_order_idx').on(t.orderId),
    // The dispatcher claims per partner (so one slow partner cannot fill every slot): this keeps
    // that query an index range scan however large the backlog. It also serves every lookup by
    // partner alone (a separate partner_id index was dropped: decision 044).
    index('webhook_messages_partner_due_idx').on(t.partnerId, t.status, t.nextAttemptAt),
  ],
);

/** The body of each outbox message, written in the same transaction as its row and never changed. */
export const webhookPayloads = sqliteTable('webhook_payloads', {
  messageId: text('message_id')
    .primaryKey()
    .references(() => webhookMessages.id),
  /** The exact JSON body `{ type, timestamp, data }`, signed and sent byte for byte. */
  payload: text('payload').notNull(),
});

/** Every outbound attempt, kept permanently: the delivery log operators read. */
export const deliveryAttempts = sqliteTable(
  'delivery_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: text('message_id')
      .notNull()
      .references(() => webhookMessages.id),
    partnerId: text('partner_id').notNull(),
    /** 1 for the first attempt. */
    attempt: integer('attempt').notNull(),
    url: text('url'),
    startedAt: integer('started_at').notNull(),
    durationMs: integer('duration_ms').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    /** First bytes of the response body, for reading in the log. */
    responseSnippet: text('response_snippet'),
    /** What the dispatcher decided: delivered, retry (scheduled), failed (gave up), disabled (410). */
    outcome: text('outcome', { enum: ['delivered', 'retry', 'failed', 'disabled'] }).notNull(),
  },
  (t) => [index('delivery_attempts_message_idx').on(t.messageId, t.attempt)],
);

/** Signed events partners posted back, deduplicated by (partner, webhook-id). */
export const inboundEvents = sqliteTable(
  'inbound_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    webhookId: text('webhook_id').notNull(),
    eventType: text('event_type').notNull(),
    orderId: text('order_id'),
    payload: text('payload').notNull(),
    receivedAt: integer('received_at').notNull(),
    /** applied (moved something), ignored (acknowledged, no change: stale, duplicate effect, unknown) */
    outcome: text('outcome').notNull().default(sql`'applied'`),
    detail: text('detail'),
  },
  (t) => [
    uniqueIndex('inbound_events_partner_webhook_idx').on(t.partnerId, t.webhookId),
    index('inbound_events_order_idx').on(t.orderId),
    // Each supplier's completions, for the console's days to produced (decision 042).
    index('inbound_events_completed_idx')
      .on(t.receivedAt, t.orderId, t.partnerId)
      .where(sql`event_type = 'production.completed' AND outcome = 'applied'`),
  ],
);

export type PartnerRow = typeof partners.$inferSelect;
export type WebhookMessageRow = typeof webhookMessages.$inferSelect;
export type NewWebhookMessage = typeof webhookMessages.$inferInsert;
export type WebhookPayloadRow = typeof webhookPayloads.$inferSelect;
export type DeliveryAttemptRow = typeof deliveryAttempts.$inferSelect;
export type InboundEventRow = typeof inboundEvents.$inferSelect;
