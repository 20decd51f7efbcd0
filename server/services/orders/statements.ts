import type Database from 'better-sqlite3';
import { outboxWriter } from '../../webhooks/outbox';
import type { LineRow } from './view';

/**
 * The order hot path's statements, prepared once per connection: placing an order runs only
 * these (no query building per request).
 */
export function orderStatements(sqlite: Database.Database) {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
}

const cache = new WeakMap<Database.Database, ReturnType<typeof prepare>>();

function prepare(db: Database.Database) {
  return {
    insertOrder: db.prepare(
      `INSERT INTO orders (id, customer_id, status, currency, total, ship_to, three_pl_id, three_pl_route,
        three_pl_reason, catalog_version, created_at, updated_at)
       VALUES (@id, @customerId, @status, @currency, @total, @shipTo, @threePlId, @threePlRoute,
        @threePlReason, @catalogVersion, @createdAt, @updatedAt)`,
    ),
    // Typed with the row, so a caller that misses a column (the remake path did, once
    // product_name came) fails to compile instead of answering 500.
    insertLine: db.prepare<[LineRow]>(
      `INSERT INTO order_lines (id, order_id, position, product_id, product_name, product_version, spec_id, selection,
        spec_code, options, measurements, quantity, unit_price, price_lines, supplier_id, route_id, route_reason, status)
       VALUES (@id, @orderId, @position, @productId, @productName, @productVersion, @specId, @selection,
        @specCode, @options, @measurements, @quantity, @unitPrice, @priceLines, @supplierId, @routeId, @routeReason, @status)`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO order_events (order_id, status, at, detail, source, line_ids)
       VALUES (@orderId, @status, @at, @detail, @source, @lineIds)`,
    ),
    // The outbox row and its body (webhook_payloads), in the caller's transaction.
    insertMessage: outboxWriter(db),
    insertIdempotency: db.prepare(
      `INSERT INTO idempotency_keys (customer_id, key, request_hash, response_status, response_body, order_id, created_at)
       VALUES (@customerId, @key, @requestHash, @responseStatus, @responseBody, @orderId, @createdAt)
       ON CONFLICT (customer_id, key) DO UPDATE SET request_hash = excluded.request_hash,
         response_status = excluded.response_status, response_body = excluded.response_body,
         order_id = excluded.order_id, created_at = excluded.created_at`,
    ),
    findIdempotency: db.prepare<
      [string, string],
      {
        request_hash: string;
        response_status: number;
        response_body: string | null;
        order_id: string | null;
        created_at: number;
      }
    >(
      'SELECT request_hash, response_status, response_body, order_id, created_at FROM idempotency_keys WHERE customer_id = ? AND key = ?',
    ),
    purgeIdempotency: db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?'),
    disabledPartners: db.prepare<[], { id: string }>('SELECT id FROM partners WHERE enabled = 0'),
  };
}
