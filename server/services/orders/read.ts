import { and, eq } from 'drizzle-orm';
import { orders } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';
import { listOrderRows, loadViews, type OrderRow } from './view';

/** The customer's own order row, or 404 (someone else's order looks exactly like a missing one). */
export function findOwnOrder(deps: AppDeps, customerId: string, orderId: string): OrderRow {
  const row = deps.db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.customerId, customerId)))
    .get();
  if (!row) throw new DomainError('not_found', `There is no order "${orderId}"`);
  return row;
}

export function listOrders(deps: AppDeps, customerId: string) {
  return loadViews(deps, listOrderRows(deps, customerId));
}

export function getOrder(deps: AppDeps, customerId: string, orderId: string) {
  return loadViews(deps, [findOwnOrder(deps, customerId, orderId)])[0]!;
}
