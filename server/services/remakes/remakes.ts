import { and, desc, eq, gt, notInArray, or } from 'drizzle-orm';
import { EngineError, routeOrder, type Selection } from '../../../catalog/index';
import { writeTransaction } from '../../db/client';
import { fitFeedback, orderLines, orders, type RemakeRow, remakes } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';
import type { OptionSnapshot } from '../catalog/configuration';
import { checkConfiguration } from '../catalog/configuration';
import { newId } from '../ids';
import { fulfillmentRequested, type PayloadLine, type ShipTo } from '../orders/payloads';
import { findOwnOrder, getOrder } from '../orders/read';
import { orderStatements } from '../orders/statements';
import { checkAgainstToday } from '../specs/view';
import { remakeProductionPayload } from './payload';

/** At most this many remakes per product per customer (docs/decisions/043-remake-policy.md). */
export const REMAKE_LIMIT_PER_PRODUCT = 2;
/** A second identical request this soon after the first (a double click) gets the first back. */
const DUPLICATE_WINDOW_MS = 60_000;
/** A remake whose order ended like this is never made (as remakeAllowance reads it). */
const NEVER_MADE = ['cancelled', 'rejected'];

export type RemakeReason = 'fit' | 'defect' | 'other';

export function remakeView(r: RemakeRow) {
  return {
    id: r.id,
    parentOrderId: r.parentOrderId,
    parentLineId: r.parentLineId,
    childOrderId: r.childOrderId,
    productId: r.productId,
    supplierId: r.supplierId,
    reason: r.reason,
    ...(r.detail ? { detail: r.detail } : {}),
    ...(r.feedbackId ? { feedbackId: r.feedbackId } : {}),
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

/**
 * How many remakes the customer has used for a product, and how many the policy allows. A remake
 * that is never made (cancelled by the shop, rejected by the supplier) does not use one up.
 */
export function remakeAllowance(deps: AppDeps, customerId: string, productId: string) {
  const used = deps.sqlite
    .prepare<[string, string], { n: number }>(
      `SELECT count(*) AS n FROM remakes r JOIN orders o ON o.id = r.child_order_id
        WHERE r.customer_id = ? AND r.product_id = ? AND o.status NOT IN ('cancelled', 'rejected')`,
    )
    .get(customerId, productId)!.n;
  return { used, limit: REMAKE_LIMIT_PER_PRODUCT, remaining: Math.max(0, REMAKE_LIMIT_PER_PRODUCT - used) };
}

/**
 * A remake of one delivered line: a linked child order at no charge, routed like any order,
 * with the reason in the supplier's payload and an event on both orders' timelines. A fit
 * remake uses the spec the customer accepted from feedback on that line, if any. Counted against
 * the per-product policy limit (409 once used up).
 */
export function requestRemake(
  deps: AppDeps,
  customerId: string,
  orderId: string,
  lineId: string,
  input: { reason: RemakeReason; detail?: string | undefined },
) {
  const created = writeTransaction(deps.sqlite, () => {
    const order = findOwnOrder(deps, customerId, orderId);
    const line = deps.db
      .select()
      .from(orderLines)
      .where(and(eq(orderLines.id, lineId), eq(orderLines.orderId, orderId)))
      .get();
    if (!line) throw new DomainError('not_found', `Order ${orderId} has no line "${lineId}"`);
    if (order.status !== 'delivered')
      throw new DomainError(
        'conflict',
        `A remake can be asked for once the order is delivered (it is ${order.status})`,
        {
          extra: { reason: 'not_delivered', orderStatus: order.status },
        },
      );
    const at = deps.now().getTime();
    // Only a remake that is still going to be made is "the first one" of a double click: one the
    // supplier rejected or the shop cancelled in the meantime is dead, and handing it back would
    // show the customer a dead remake as new and block asking again for the rest of the minute.
    const recent = deps.db
      .select({ remake: remakes })
      .from(remakes)
      .innerJoin(orders, eq(orders.id, remakes.childOrderId))
      .where(
        and(
          eq(remakes.parentLineId, lineId),
          eq(remakes.reason, input.reason),
          gt(remakes.createdAt, at - DUPLICATE_WINDOW_MS),
          notInArray(orders.status, NEVER_MADE),
        ),
      )
      .orderBy(desc(remakes.createdAt))
      .get()?.remake;
    if (recent) return { remake: recent, duplicate: true };
    const allowance = remakeAllowance(deps, customerId, line.productId);
    if (allowance.remaining === 0)
      throw new DomainError(
        'conflict',
        `The remake limit is ${allowance.limit} per product; ${allowance.used} already used for ${line.productId}`,
        { extra: { reason: 'remake_limit', ...allowance } },
      );

    // What to make: the accepted adjustment from feedback on this line, else the line as bought,
    // repaired to today's catalog if an option was retired since.
    const accepted = deps.db
      .select()
      .from(fitFeedback)
      .where(and(eq(fitFeedback.lineId, lineId), or(eq(fitFeedback.decision, 'accepted'))))
      .get();
    let selection = JSON.parse(line.selection) as Selection;
    if (accepted?.proposal)
      selection = (JSON.parse(accepted.proposal) as { after: { selection: Selection } }).after.selection;
    const today = checkAgainstToday(
      deps.catalog,
      line.productId,
      selection,
      JSON.parse(line.options) as OptionSnapshot[],
    );
    if (!today.valid) {
      if (!today.alternative) throw new DomainError('conflict', `"${line.productId}" is no longer made`);
      selection = today.alternative.selection;
    }
    const cp = deps.catalog.products.get(line.productId)!;
    const checked = checkConfiguration(cp, selection, 'selection.');
    const shipTo = JSON.parse(order.shipTo) as ShipTo;
    const stmts = orderStatements(deps.sqlite);
    const unavailable = new Set(stmts.disabledPartners.all().map((p) => p.id));
    let routing: ReturnType<typeof routeOrder>;
    try {
      routing = routeOrder(
        deps.catalog.routing,
        { lines: [{ product: cp, selection: checked.selection }], country: shipTo.country },
        { unavailable },
      );
    } catch (e) {
      if (e instanceof EngineError) throw new DomainError('unroutable', e.message);
      throw e;
    }
    const childId = newId('ord');
    const childLineId = newId('line');
    const detail = input.detail?.normalize('NFC').trim() || null;
    const reasonText = `${input.reason}${detail ? `: ${detail}` : ''}`;
    stmts.insertOrder.run({
      id: childId,
      customerId,
      status: 'placed',
      currency: order.currency,
      total: 0,
      shipTo: order.shipTo,
      threePlId: routing.threePl.partnerId,
      threePlRoute: routing.threePl.routeId,
      threePlReason: routing.threePl.reason,
      catalogVersion: deps.catalog.version,
      createdAt: at,
      updatedAt: at,
    });
    const supplierId = routing.lines[0]!.partnerId;
    stmts.insertLine.run({
      id: childLineId,
      orderId: childId,
      position: 0,
      productId: cp.product.id,
      productName: cp.product.name,
      productVersion: cp.product.version,
      specId: line.specId,
      selection: JSON.stringify(checked.selection),
      specCode: checked.specCode,
      options: JSON.stringify(checked.options),
      measurements: line.measurements,
      quantity: 1,
      unitPrice: 0,
      priceLines: JSON.stringify([{ label: 'Remake at no charge', amount: 0 }]),
      supplierId,
      routeId: routing.lines[0]!.routeId,
      routeReason: routing.lines[0]!.reason,
      status: 'placed',
    });
    stmts.insertEvent.run({
      orderId: childId,
      status: 'placed',
      at,
      detail: `Remake of ${orderId} (${reasonText})`,
      source: 'customer',
      lineIds: null,
    });
    // The parent keeps its status; the timeline records that a remake was asked for.
    stmts.insertEvent.run({
      orderId,
      status: order.status,
      at,
      detail: `Remake ${childId} requested (${reasonText})`,
      source: 'customer',
      lineIds: JSON.stringify([lineId]),
    });
    const payloadLine: PayloadLine = {
      lineId: childLineId,
      productId: cp.product.id,
      specCode: checked.specCode,
      quantity: 1,
      supplierId,
      options: checked.options,
      ...(line.measurements ? { measurements: JSON.parse(line.measurements) } : {}),
    };
    const now = new Date(at);
    stmts.insertMessage.run({
      id: newId('msg'),
      orderId: childId,
      partnerId: supplierId,
      eventType: 'production.requested',
      payload: remakeProductionPayload(
        now,
        { id: childId, threePlId: routing.threePl.partnerId },
        [payloadLine],
        {
          parentOrderId: orderId,
          parentLineId: lineId,
          reason: input.reason,
          detail: detail ?? '',
        },
      ),
      nextAttemptAt: at,
      createdAt: at,
    });
    stmts.insertMessage.run({
      id: newId('msg'),
      orderId: childId,
      partnerId: routing.threePl.partnerId,
      eventType: 'fulfillment.requested',
      payload: fulfillmentRequested(now, { id: childId, shipTo }, [payloadLine]),
      nextAttemptAt: at,
      createdAt: at,
    });
    const row: RemakeRow = {
      id: newId('rmk'),
      customerId,
      productId: cp.product.id,
      parentOrderId: orderId,
      parentLineId: lineId,
      childOrderId: childId,
      supplierId: line.supplierId,
      reason: input.reason,
      detail,
      feedbackId: accepted?.id ?? null,
      createdAt: at,
    };
    deps.db.insert(remakes).values(row).run();
    return { remake: row, duplicate: false };
  });
  return {
    status: created.duplicate ? 200 : 201,
    body: {
      remake: remakeView(created.remake),
      order: getOrder(deps, customerId, created.remake.childOrderId),
      allowance: remakeAllowance(deps, customerId, created.remake.productId),
    },
  };
}

/** Remakes that involve an order: as the original (children) or as the remake (parent). */
export function remakesOfOrder(deps: Pick<AppDeps, 'db'>, orderId: string) {
  const rows = deps.db
    .select()
    .from(remakes)
    .where(or(eq(remakes.parentOrderId, orderId), eq(remakes.childOrderId, orderId)))
    .orderBy(desc(remakes.createdAt))
    .all();
  return {
    remakeOf: rows.find((r) => r.childOrderId === orderId)
      ? remakeView(rows.find((r) => r.childOrderId === orderId)!)
      : null,
    remakes: rows.filter((r) => r.parentOrderId === orderId).map(remakeView),
  };
}

export function listOwnRemakes(deps: AppDeps, customerId: string, orderId: string) {
  findOwnOrder(deps, customerId, orderId);
  return remakesOfOrder(deps, orderId);
}
