import type { OptionSnapshot } from '../catalog/configuration';

// The outbound webhook bodies `{ type, timestamp, data }` (CONTRACT.md "Outbound webhooks").
// Built once, stored in the outbox verbatim, and signed byte for byte by the dispatcher.

export interface ShipTo {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  country: string;
}

export interface PayloadLine {
  lineId: string;
  productId: string;
  specCode: string;
  quantity: number;
  supplierId: string;
  options: OptionSnapshot[];
  measurements?: unknown;
}

export function envelope(type: string, at: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

/** To one supplier: the lines it makes, with every option named, and who ships them. */
export function productionRequested(
  at: Date,
  order: { id: string; threePlId: string },
  lines: PayloadLine[],
): string {
  return envelope('production.requested', at, {
    orderId: order.id,
    threePlId: order.threePlId,
    lines: lines.map((l) => ({
      lineId: l.lineId,
      productId: l.productId,
      specCode: l.specCode,
      quantity: l.quantity,
      options: l.options.map((o) => ({ moduleId: o.moduleId, optionId: o.optionId, label: o.label })),
      ...(l.measurements ? { measurements: l.measurements } : {}),
    })),
  });
}

/** To the order's 3PL: where it goes and which supplier hands over which line. */
export function fulfillmentRequested(
  at: Date,
  order: { id: string; shipTo: ShipTo },
  lines: PayloadLine[],
): string {
  return envelope('fulfillment.requested', at, {
    orderId: order.id,
    shipTo: order.shipTo,
    lines: lines.map((l) => ({
      lineId: l.lineId,
      supplierId: l.supplierId,
      productId: l.productId,
      specCode: l.specCode,
      quantity: l.quantity,
    })),
  });
}

export function orderCancelled(at: Date, orderId: string, reason: string): string {
  return envelope('order.cancelled', at, { orderId, reason });
}
