import type Database from 'better-sqlite3';

/** One outbox message as the code that causes it writes it (inside that change's transaction). */
export interface OutboxMessage {
  /** The Standard Webhooks `webhook-id`. */
  id: string;
  partnerId: string;
  eventType: string;
  orderId: string | null;
  /** The exact JSON body, signed and sent byte for byte. */
  payload: string;
  nextAttemptAt: number;
  createdAt: number;
}

/**
 * Writes outbox messages: the delivery-state row in `webhook_messages` and the body in
 * `webhook_payloads`. Run it inside the transaction of the change that causes the message
 * (an order, a cancellation, a remake), so both rows commit with it or not at all.
 * Prepared once per connection.
 */
export function outboxWriter(sqlite: Database.Database): { run(message: OutboxMessage): void } {
  let w = cache.get(sqlite);
  if (!w) {
    const state = sqlite.prepare<[OutboxMessage]>(
      `INSERT INTO webhook_messages (id, partner_id, event_type, order_id, status, attempts, next_attempt_at, created_at)
       VALUES (@id, @partnerId, @eventType, @orderId, 'pending', 0, @nextAttemptAt, @createdAt)`,
    );
    const body = sqlite.prepare<[OutboxMessage]>(
      'INSERT INTO webhook_payloads (message_id, payload) VALUES (@id, @payload)',
    );
    w = {
      run(message: OutboxMessage) {
        state.run(message);
        body.run(message);
      },
    };
    cache.set(sqlite, w);
  }
  return w;
}

const cache = new WeakMap<Database.Database, { run(message: OutboxMessage): void }>();
