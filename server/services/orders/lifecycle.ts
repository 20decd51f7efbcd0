// The order lifecycle as data. An order (and each of its lines) only ever moves forward along
// placed → in_production → produced → shipped → delivered, or ends cancelled / rejected. Events
// may arrive late or out of order, so a forward skip is allowed; anything else is recorded by the
// caller and changes nothing.

export const ORDER_STATUSES = [
  'placed',
  'in_production',
  'produced',
  'shipped',
  'delivered',
  'cancelled',
  'rejected',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Lines share the order's vocabulary. */
export type LineStatus = OrderStatus;

/** Every allowed move: `from` → the statuses it may go to. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  placed: ['in_production', 'produced', 'shipped', 'delivered', 'cancelled', 'rejected'],
  in_production: ['produced', 'shipped', 'delivered', 'rejected'],
  produced: ['shipped', 'delivered'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
  rejected: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

export function isOrderStatus(s: string): s is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(s);
}

/** Who may send an event, and the status it moves lines (and then the order) towards. */
export const PARTNER_EVENTS = {
  'production.accepted': { from: 'supplier', target: 'in_production', scope: 'lines' },
  'production.rejected': { from: 'supplier', target: 'rejected', scope: 'order' },
  'production.completed': { from: 'supplier', target: 'produced', scope: 'lines' },
  'shipment.shipped': { from: '3pl', target: 'shipped', scope: 'order' },
  'shipment.delivered': { from: '3pl', target: 'delivered', scope: 'order' },
} as const satisfies Record<
  string,
  { from: 'supplier' | '3pl'; target: OrderStatus; scope: 'lines' | 'order' }
>;
export type PartnerEventType = keyof typeof PARTNER_EVENTS;

export function isPartnerEventType(t: string): t is PartnerEventType {
  return Object.hasOwn(PARTNER_EVENTS, t);
}

/** A customer may cancel only while nothing has been accepted by a supplier. */
export function isCancellable(status: OrderStatus, lineStatuses: readonly LineStatus[]): boolean {
  return canTransition(status, 'cancelled') && lineStatuses.every((s) => s === 'placed');
}

/**
 * The order status implied by its lines after a line-scoped event: in production as soon as
 * any line is, produced once every line is produced (or further). Never backwards: when the
 * lines imply something the order cannot move to, it keeps its status.
 */
export function orderStatusFromLines(current: OrderStatus, lines: readonly LineStatus[]): OrderStatus {
  const rank = (s: LineStatus) => MAIN_PATH.indexOf(s);
  const live = lines.filter((s) => rank(s) >= 0);
  if (live.length === 0) return current;
  const lowest = Math.min(...live.map(rank));
  const highest = Math.max(...live.map(rank));
  // All lines at least `lowest`; the order reaches `produced` only when all of them are there.
  const implied: OrderStatus =
    MAIN_PATH[lowest]! === 'placed' && highest > 0 ? 'in_production' : MAIN_PATH[Math.min(lowest, 2)]!;
  const target = rank(implied) > 0 ? implied : current;
  return target !== current && canTransition(current, target) ? target : current;
}

const MAIN_PATH: readonly OrderStatus[] = ['placed', 'in_production', 'produced', 'shipped', 'delivered'];
