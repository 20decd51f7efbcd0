import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';
import { outboxWriter } from '../../webhooks/outbox';
import { newId } from '../ids';
import { isCancellable, isOrderStatus, type LineStatus } from './lifecycle';
import { orderCancelled } from './payloads';
import { findOwnOrder, getOrder } from './read';

/**
 * Cancels an order while no supplier has accepted any line (409 after). Every partner that was
 * already sent a message about the order is told, through the outbox, in the same transaction.
 */
export function cancelOrder(
  deps: AppDeps,
  customerId: string,
  orderId: string,
  by: 'customer' | 'operator' = 'customer',
) {
  deps.sqlite
    .transaction(() => {
      const order = findOwnOrder(deps, customerId, orderId);
      if (order.status === 'cancelled') return; // cancelling twice changes nothing
      const lineStatuses = deps.sqlite
        .prepare<[string], { status: string }>('SELECT status FROM order_lines WHERE order_id = ?')
        .all(orderId)
        .map((r) => r.status as LineStatus);
      if (!isOrderStatus(order.status) || !isCancellable(order.status, lineStatuses))
        throw new DomainError('order_not_cancellable', whyNotCancellable(order.status), {
          extra: { orderStatus: order.status },
        });
      const now = deps.now();
      const at = now.getTime();
      deps.sqlite
        .prepare("UPDATE orders SET status = 'cancelled', updated_at = ? WHERE id = ?")
        .run(at, orderId);
      deps.sqlite.prepare("UPDATE order_lines SET status = 'cancelled' WHERE order_id = ?").run(orderId);
      deps.sqlite
        .prepare(
          "INSERT INTO order_events (order_id, status, at, detail, source) VALUES (?, 'cancelled', ?, ?, ?)",
        )
        .run(orderId, at, `Cancelled by ${by === 'operator' ? 'the shop' : 'the customer'}`, by);
      const told = deps.sqlite
        .prepare<[string], { partner_id: string }>(
          "SELECT DISTINCT partner_id FROM webhook_messages WHERE order_id = ? AND event_type != 'order.cancelled' ORDER BY partner_id",
        )
        .all(orderId);
      const outbox = outboxWriter(deps.sqlite);
      for (const p of told)
        outbox.run({
          id: newId('msg'),
          partnerId: p.partner_id,
          eventType: 'order.cancelled',
          orderId,
          payload: orderCancelled(
            now,
            orderId,
            `cancelled by ${by === 'operator' ? 'the shop' : 'the customer'}`,
          ),
          nextAttemptAt: at,
          createdAt: at,
        });
    })
    .immediate();
  return getOrder(deps, customerId, orderId);
}

/**
 * The 409's detail, true to the order's state: it said "a supplier has already accepted it" for
 * every order, also one a supplier had rejected or a 3PL shipped without any acceptance.
 */
function whyNotCancellable(status: string): string {
  switch (status) {
    case 'rejected':
      return 'This order was rejected by a supplier and will not be made; there is nothing to cancel';
    case 'produced':
    case 'shipped':
    case 'delivered':
      return `This order is already ${status}; it can no longer be cancelled`;
    default:
      return `This order is ${status.replace('_', ' ')}; a supplier has already accepted it`;
  }
}
