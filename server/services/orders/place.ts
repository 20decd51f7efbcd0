import { type CompiledProduct, EngineError, routeOrder, type Selection } from '../../../catalog/index';
import { writeTransaction } from '../../db/client';
import { groupCommitter } from '../../db/group-commit';
import type { AppDeps } from '../../deps';
import { DomainError, type FieldError } from '../../errors';
import { type CheckedConfiguration, checkConfiguration } from '../catalog/configuration';
import { newId } from '../ids';
import { findOwnSpec } from '../specs/view';
import { IDEMPOTENCY_TTL_MS, type Stored } from './idempotency';
import { fulfillmentRequested, type PayloadLine, productionRequested, type ShipTo } from './payloads';
import { orderStatements } from './statements';
import { type EventRow, type LineRow, type OrderRow, orderView } from './view';

export type OrderLineInput =
  | { productId: string; selection: Selection; quantity: number; measurements?: unknown }
  | { specId: string; quantity: number };

export interface PlaceOrderInput {
  lines: OrderLineInput[];
  shipTo: ShipTo;
}

interface ResolvedLine {
  checked: CheckedConfiguration;
  quantity: number;
  specId: string | null;
  measurements: unknown;
}

/**
 * Places an order. Every line is re-validated and priced by the engine (the client's prices are
 * never read), routed to a supplier, and the order ships through one 3PL. The order, its lines
 * (immutable snapshots), its first event, one outbox message per partner and the idempotency
 * record are written in ONE transaction; the caller is answered only after it committed.
 */
export async function placeOrder(
  deps: AppDeps,
  args: { customerId: string; input: PlaceOrderInput; idempotency: { key: string; hash: string } },
): Promise<Stored & { orderId: string }> {
  const plan = planOrder(deps, args);
  const write = () => writeOrder(deps, plan);
  if (deps.env.GROUP_COMMIT) await groupCommitter(deps.sqlite).submit(write);
  else writeTransaction(deps.sqlite, write);
  return { status: 201, body: plan.body, orderId: plan.order.id };
}

/** Everything an order writes, built and checked before the transaction (see `writeOrder`). */
export interface PlannedOrder {
  order: OrderRow;
  lines: LineRow[];
  event: EventRow;
  messages: Array<{ partnerId: string; eventType: string; payload: string }>;
  idempotency: { customerId: string; key: string; hash: string };
  /** The 201 answer. */
  body: string;
}

/** Validates, prices and routes an order and builds its rows; writes nothing. */
export function planOrder(
  deps: AppDeps,
  args: { customerId: string; input: PlaceOrderInput; idempotency: { key: string; hash: string } },
): PlannedOrder {
  const { customerId, input } = args;
  const resolved = resolveLines(deps, customerId, input.lines);
  const currencies = new Set(resolved.map((l) => l.checked.price.currency));
  if (currencies.size > 1)
    throw new DomainError('validation_failed', 'All lines of one order must be in one currency', {
      errors: [
        {
          path: 'lines',
          code: 'mixed_currency',
          message: `lines are priced in ${[...currencies].join(' and ')}`,
        },
      ],
    });

  const stmts = orderStatements(deps.sqlite);
  const unavailable = new Set(stmts.disabledPartners.all().map((p) => p.id));
  let routing: ReturnType<typeof routeOrder>;
  try {
    routing = routeOrder(
      deps.catalog.routing,
      {
        lines: resolved.map((l) => ({ product: l.checked.cp, selection: l.checked.selection })),
        country: input.shipTo.country,
      },
      { unavailable },
    );
  } catch (e) {
    if (e instanceof EngineError) throw new DomainError('unroutable', e.message);
    throw e;
  }

  const now = deps.now();
  const at = now.getTime();
  const orderId = newId('ord');
  const shipTo: ShipTo = { ...input.shipTo };
  const order: OrderRow = {
    id: orderId,
    customerId,
    status: 'placed',
    currency: [...currencies][0]!,
    total: resolved.reduce((s, l) => s + l.checked.price.total * l.quantity, 0),
    shipTo: JSON.stringify(shipTo),
    threePlId: routing.threePl.partnerId,
    threePlRoute: routing.threePl.routeId,
    threePlReason: routing.threePl.reason,
    catalogVersion: deps.catalog.version,
    createdAt: at,
    updatedAt: at,
  };
  const lines: LineRow[] = resolved.map((l, i) => ({
    id: newId('line'),
    orderId,
    position: i,
    productId: l.checked.cp.product.id,
    productName: l.checked.cp.product.name,
    productVersion: l.checked.cp.product.version,
    specId: l.specId,
    selection: JSON.stringify(l.checked.selection),
    specCode: l.checked.specCode,
    options: JSON.stringify(l.checked.options),
    measurements: l.measurements ? JSON.stringify(l.measurements) : null,
    quantity: l.quantity,
    unitPrice: l.checked.price.total,
    priceLines: JSON.stringify(l.checked.price.lines),
    supplierId: routing.lines[i]!.partnerId,
    routeId: routing.lines[i]!.routeId,
    routeReason: routing.lines[i]!.reason,
    status: 'placed',
  }));
  const event: EventRow = {
    id: 0,
    orderId,
    status: 'placed',
    at,
    detail: `Order placed: ${lines.length} line${lines.length === 1 ? '' : 's'}`,
    source: 'customer',
    lineIds: null,
  };

  const payloadLines: PayloadLine[] = resolved.map((l, i) => ({
    lineId: lines[i]!.id,
    productId: lines[i]!.productId,
    specCode: lines[i]!.specCode,
    quantity: l.quantity,
    supplierId: lines[i]!.supplierId,
    options: l.checked.options,
    ...(l.measurements ? { measurements: l.measurements } : {}),
  }));
  const messages: Array<{ partnerId: string; eventType: string; payload: string }> = [];
  for (const supplierId of [...new Set(lines.map((l) => l.supplierId))])
    messages.push({
      partnerId: supplierId,
      eventType: 'production.requested',
      payload: productionRequested(
        now,
        { id: orderId, threePlId: order.threePlId },
        payloadLines.filter((l) => l.supplierId === supplierId),
      ),
    });
  messages.push({
    partnerId: order.threePlId,
    eventType: 'fulfillment.requested',
    payload: fulfillmentRequested(now, { id: orderId, shipTo }, payloadLines),
  });

  const body = JSON.stringify(
    orderView(order, lines, [event], [], {
      shipTo,
      lines: resolved.map((l) => ({
        selection: l.checked.selection,
        options: l.checked.options,
        measurements: l.measurements,
        price: l.checked.price.lines,
      })),
    }),
  );
  return { order, lines, event, messages, idempotency: { customerId, ...args.idempotency }, body };
}

/**
 * The order's one transaction body: the order, its lines, its first event, one outbox message per
 * partner and the idempotency record. Only writes (it may run twice, see GroupCommitter.submit).
 */
export function writeOrder(deps: AppDeps, plan: PlannedOrder): void {
  const stmts = orderStatements(deps.sqlite);
  const { order, event, idempotency } = plan;
  const at = order.createdAt;
  stmts.insertOrder.run(order);
  for (const l of plan.lines) stmts.insertLine.run(l);
  stmts.insertEvent.run({
    orderId: order.id,
    status: event.status,
    at,
    detail: event.detail,
    source: event.source,
    lineIds: null,
  });
  for (const m of plan.messages)
    stmts.insertMessage.run({ id: newId('msg'), orderId: order.id, ...m, nextAttemptAt: at, createdAt: at });
  stmts.insertIdempotency.run({
    customerId: idempotency.customerId,
    key: idempotency.key,
    requestHash: idempotency.hash,
    responseStatus: 201,
    // The replay is rebuilt from the order's immutable rows (placedOrderBody), not stored twice.
    responseBody: null,
    orderId: order.id,
    createdAt: at,
  });
  // Cheap amortised housekeeping: expired keys go with roughly one order in a hundred.
  if (Math.random() < 0.01) stmts.purgeIdempotency.run(at - IDEMPOTENCY_TTL_MS);
}

/** Each line as an orderable configuration, or one 422/404 listing every line at fault. */
function resolveLines(deps: AppDeps, customerId: string, inputs: OrderLineInput[]): ResolvedLine[] {
  const errors: FieldError[] = [];
  const out: ResolvedLine[] = [];
  inputs.forEach((line, i) => {
    let cp: CompiledProduct | undefined;
    let selection: Selection;
    let specId: string | null = null;
    let measurements: unknown = null;
    if ('specId' in line) {
      const spec = findOwnSpec(deps, customerId, line.specId, `lines.${i}.specId`);
      cp = deps.catalog.products.get(spec.productId);
      selection = JSON.parse(spec.selection) as Selection;
      specId = spec.id;
      measurements = spec.measurements ? JSON.parse(spec.measurements) : null;
      if (!cp) {
        errors.push({
          path: `lines.${i}.specId`,
          code: 'product_retired',
          message: `"${spec.productId}" is no longer sold`,
        });
        return;
      }
    } else {
      cp = deps.catalog.products.get(line.productId);
      selection = line.selection;
      measurements = line.measurements ?? null;
      if (!cp) {
        errors.push({
          path: `lines.${i}.productId`,
          code: 'unknown_product',
          message: `"${line.productId}" is not a product`,
        });
        return;
      }
    }
    try {
      out.push({
        checked: checkConfiguration(cp, selection, `lines.${i}.selection.`),
        quantity: line.quantity,
        specId,
        measurements,
      });
    } catch (e) {
      if (e instanceof DomainError && e.options.errors) errors.push(...e.options.errors);
      else throw e;
    }
  });
  if (errors.length)
    throw new DomainError('invalid_configuration', 'Some order lines cannot be made as configured', {
      errors,
    });
  return out;
}
