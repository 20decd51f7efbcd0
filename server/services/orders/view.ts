import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Selection } from '../../../catalog/index';
import { orderEvents, orderLines, orders, shipments } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import type { OptionSnapshot } from '../catalog/configuration';
import type { ShipTo } from './payloads';

export type OrderRow = typeof orders.$inferSelect;
export type LineRow = typeof orderLines.$inferSelect;
export type EventRow = typeof orderEvents.$inferSelect;
export type ShipmentRow = typeof shipments.$inferSelect;

/** What the JSON columns of an order hold, when the caller still has them as values. */
export interface ParsedOrder {
  shipTo: ShipTo;
  lines: Array<{ selection: Selection; options: OptionSnapshot[]; measurements: unknown; price: unknown }>;
}

/**
 * The order as customers see it (CONTRACT.md "Orders"), built from its rows. Placing an order
 * passes `parsed`, the values it just serialised into the JSON columns, instead of parsing them
 * back; the JSON is the same either way, which the idempotent replay relies on.
 */
export function orderView(
  o: OrderRow,
  lines: LineRow[],
  events: EventRow[],
  ships: ShipmentRow[],
  parsed?: ParsedOrder,
) {
  return {
    id: o.id,
    status: o.status,
    currency: o.currency,
    total: o.total,
    createdAt: new Date(o.createdAt).toISOString(),
    updatedAt: new Date(o.updatedAt).toISOString(),
    catalogVersion: o.catalogVersion,
    lines: lines.map((l, i) => ({
      id: l.id,
      productId: l.productId,
      // The name it was ordered under (a later rename or retirement does not change it).
      ...(l.productName ? { productName: l.productName } : {}),
      productVersion: l.productVersion,
      selection: parsed ? parsed.lines[i]!.selection : (JSON.parse(l.selection) as Selection),
      specCode: l.specCode,
      ...(l.specId ? { specId: l.specId } : {}),
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      lineTotal: l.unitPrice * l.quantity,
      supplierId: l.supplierId,
      status: l.status,
      options: (parsed ? parsed.lines[i]!.options : (JSON.parse(l.options) as OptionSnapshot[])).map(
        ({ attrs: _a, ...x }) => x,
      ),
      ...(l.measurements
        ? { measurements: parsed ? parsed.lines[i]!.measurements : JSON.parse(l.measurements) }
        : {}),
      price: parsed ? parsed.lines[i]!.price : JSON.parse(l.priceLines),
      routing: { routeId: l.routeId, reason: l.routeReason },
    })),
    shipTo: parsed ? parsed.shipTo : (JSON.parse(o.shipTo) as ShipTo),
    threePlId: o.threePlId,
    threePlRouting: { routeId: o.threePlRoute, reason: o.threePlReason },
    events: events.map((e) => ({
      status: e.status,
      at: new Date(e.at).toISOString(),
      ...(e.detail ? { detail: e.detail } : {}),
      source: e.source,
      ...(e.lineIds ? { lineIds: JSON.parse(e.lineIds) as string[] } : {}),
    })),
    shipments: ships.map((s) => ({
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      ...(s.trackingUrl ? { trackingUrl: s.trackingUrl } : {}),
      at: new Date(s.createdAt).toISOString(),
    })),
  };
}
export type OrderView = ReturnType<typeof orderView>;

/**
 * The exact JSON body `POST /api/orders` answered when the order was placed, rebuilt from its rows:
 * everything but the status is a snapshot taken at placement, so the view as loaded today with the
 * status set back to `placed`, its first event only and no shipments is that first answer (same
 * members in the same order). Idempotent replays answer with this.
 */
export function placedOrderBody(deps: AppDeps, orderId: string): string | undefined {
  const o = deps.db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!o) return undefined;
  const [view] = loadViews(deps, [{ ...o, status: 'placed', updatedAt: o.createdAt }]);
  return JSON.stringify({
    ...view!,
    lines: view!.lines.map((l) => ({ ...l, status: 'placed' })),
    events: view!.events.slice(0, 1),
    shipments: [],
  });
}

/** Full views of the given order rows, with three queries whatever their number. */
export function loadViews(deps: AppDeps, rows: OrderRow[]): OrderView[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const group = <T extends { orderId: string }>(items: T[]) => {
    const m = new Map<string, T[]>();
    for (const i of items) {
      let list = m.get(i.orderId);
      if (!list) m.set(i.orderId, (list = []));
      list.push(i);
    }
    return m;
  };
  const lines = group(
    deps.db
      .select()
      .from(orderLines)
      .where(inArray(orderLines.orderId, ids))
      .orderBy(asc(orderLines.position))
      .all(),
  );
  const events = group(
    deps.db
      .select()
      .from(orderEvents)
      .where(inArray(orderEvents.orderId, ids))
      .orderBy(asc(orderEvents.at), asc(orderEvents.id))
      .all(),
  );
  const ships = group(
    deps.db.select().from(shipments).where(inArray(shipments.orderId, ids)).orderBy(asc(shipments.id)).all(),
  );
  return rows.map((o) => orderView(o, lines.get(o.id) ?? [], events.get(o.id) ?? [], ships.get(o.id) ?? []));
}

export function listOrderRows(deps: AppDeps, customerId: string): OrderRow[] {
  return deps.db
    .select()
    .from(orders)
    .where(eq(orders.customerId, customerId))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .all();
}
