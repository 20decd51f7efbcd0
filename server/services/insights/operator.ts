import { asc, desc, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { Selection } from '../../../catalog/index';
import {
  complaints,
  customers,
  deliveryAttempts,
  fitFeedback,
  inboundEvents,
  orders,
  remakes,
  specs,
  specVersions,
  webhookMessages,
  webhookPayloads,
} from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';
import { complaintView } from '../complaints/complaints';
import { feedbackView } from '../feedback/feedback';
import { loadViews } from '../orders/view';
import { remakesOfOrder, remakeView } from '../remakes/remakes';
import { customerInsights, shopCurrency } from './queries';

// What operators look up: orders by anything they know (id, customer, spec code, tracking
// number), one order with everything that happened to it, one customer with everything we know.

export interface OrderSearch {
  q?: string | undefined;
  status?: string | undefined;
  partnerId?: string | undefined;
  customerId?: string | undefined;
  /** Only orders with a failed partner delivery. */
  failed?: boolean | undefined;
  from?: number | undefined;
  to?: number | undefined;
  sort: 'createdAt' | 'total' | 'status';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export function searchOrders(deps: AppDeps, s: OrderSearch) {
  const where: string[] = [];
  const args: Record<string, unknown> = {};
  if (s.q) {
    // Each kind of thing an operator may paste is looked up through an index or a small table:
    // an order id (or its start), a customer's email or name, a line id, a spec code, a tracking number.
    const q = s.q.trim();
    args.q = q;
    args.prefix = `${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    args.like = `%${q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const parts = [
      "o.id LIKE @prefix ESCAPE '\\'",
      "o.customer_id IN (SELECT id FROM customers WHERE lower(email) LIKE @like ESCAPE '\\' OR lower(name) LIKE @like ESCAPE '\\')",
    ];
    if (q.startsWith('line_')) parts.push('o.id IN (SELECT order_id FROM order_lines WHERE id = @q)');
    else if (/^[A-Z]{2}-\S+$/.test(q))
      parts.push('o.id IN (SELECT order_id FROM order_lines WHERE spec_code = @q)');
    else if (/^[A-Z0-9]{6,40}$/.test(q))
      parts.push('o.id IN (SELECT order_id FROM shipments WHERE tracking_number = @q)');
    where.push(`(${parts.join(' OR ')})`);
  }
  if (s.status) {
    args.status = s.status;
    where.push('o.status = @status');
  }
  if (s.customerId) {
    args.customerId = s.customerId;
    where.push('o.customer_id = @customerId');
  }
  if (s.partnerId) {
    args.partnerId = s.partnerId;
    where.push(
      '(o.three_pl_id = @partnerId OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.supplier_id = @partnerId))',
    );
  }
  if (s.failed)
    where.push(
      `o.id IN (SELECT order_id FROM webhook_messages WHERE status = 'failed' AND order_id IS NOT NULL)`,
    );
  if (s.from !== undefined) {
    args.from = s.from;
    where.push('o.created_at >= @from');
  }
  if (s.to !== undefined) {
    args.to = s.to;
    where.push('o.created_at < @to');
  }
  const sortColumn = s.sort === 'total' ? 'o.total' : s.sort === 'status' ? 'o.status' : 'o.created_at';
  const dir = s.order === 'asc' ? 'ASC' : 'DESC';
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = deps.sqlite
    .prepare(`SELECT count(*) AS n FROM orders o JOIN customers c ON c.id = o.customer_id ${clause}`)
    .get(args) as { n: number };
  const rows = deps.sqlite
    .prepare(
      `SELECT o.id, o.status, o.currency, o.total, o.created_at, o.updated_at, o.three_pl_id, o.customer_id,
              c.name AS customer_name, c.email AS customer_email,
              (SELECT group_concat(DISTINCT l.supplier_id) FROM order_lines l WHERE l.order_id = o.id) AS suppliers,
              (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id) AS lines,
              (SELECT count(*) FROM webhook_messages m WHERE m.order_id = o.id AND m.status = 'failed') AS failed_deliveries,
              EXISTS (SELECT 1 FROM remakes r WHERE r.child_order_id = o.id) AS is_remake
         FROM orders o JOIN customers c ON c.id = o.customer_id
         ${clause}
        ORDER BY ${sortColumn} ${dir}, o.id ${dir}
        LIMIT @limit OFFSET @offset`,
    )
    .all({ ...args, limit: s.limit, offset: s.offset }) as Array<{
    id: string;
    status: string;
    currency: string;
    total: number;
    created_at: number;
    updated_at: number;
    three_pl_id: string;
    customer_id: string;
    customer_name: string;
    customer_email: string;
    suppliers: string | null;
    lines: number;
    failed_deliveries: number;
    is_remake: number;
  }>;
  return {
    total: total.n,
    items: rows.map((r) => ({
      id: r.id,
      status: r.status,
      currency: r.currency,
      total: r.total,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
      customer: { id: r.customer_id, name: r.customer_name, email: r.customer_email },
      lines: r.lines,
      suppliers: r.suppliers ? r.suppliers.split(',') : [],
      threePlId: r.three_pl_id,
      failedDeliveries: r.failed_deliveries,
      isRemake: r.is_remake === 1,
    })),
  };
}

function findOrderRow(deps: AppDeps, orderId: string) {
  const row = deps.db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!row) throw new DomainError('not_found', `There is no order "${orderId}"`);
  return row;
}

export function orderCustomerId(deps: AppDeps, orderId: string): string {
  return findOrderRow(deps, orderId).customerId;
}

/** One order with its lines, routing reasons, partner deliveries with every attempt, and events. */
export function orderDetail(deps: AppDeps, orderId: string) {
  const row = findOrderRow(deps, orderId);
  const view = loadViews(deps, [row])[0]!;
  const customer = deps.db
    .select({ id: customers.id, name: customers.name, email: customers.email })
    .from(customers)
    .where(eq(customers.id, row.customerId))
    .get();
  const messages = deps.db
    .select({ ...getTableColumns(webhookMessages), payload: webhookPayloads.payload })
    .from(webhookMessages)
    .leftJoin(webhookPayloads, eq(webhookPayloads.messageId, webhookMessages.id))
    .where(eq(webhookMessages.orderId, orderId))
    .orderBy(asc(webhookMessages.createdAt), asc(webhookMessages.id))
    .all();
  const attempts = messages.length
    ? deps.db
        .select()
        .from(deliveryAttempts)
        .where(
          inArray(
            deliveryAttempts.messageId,
            messages.map((m) => m.id),
          ),
        )
        .orderBy(asc(deliveryAttempts.messageId), asc(deliveryAttempts.attempt))
        .all()
    : [];
  const inbound = deps.db
    .select()
    .from(inboundEvents)
    .where(eq(inboundEvents.orderId, orderId))
    .orderBy(asc(inboundEvents.receivedAt))
    .all();
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    order: view,
    customer: customer ?? null,
    deliveries: messages.map((m) => ({
      id: m.id,
      partnerId: m.partnerId,
      eventType: m.eventType,
      status: m.status,
      attempts: m.attempts,
      lastStatusCode: m.lastStatusCode,
      lastError: m.lastError,
      nextAttemptAt: m.status === 'pending' ? iso(m.nextAttemptAt) : null,
      createdAt: iso(m.createdAt),
      deliveredAt: iso(m.deliveredAt),
      payload: m.payload === null ? null : (JSON.parse(m.payload) as unknown),
      attemptLog: attempts
        .filter((a) => a.messageId === m.id)
        .map((a) => ({
          attempt: a.attempt,
          startedAt: iso(a.startedAt),
          durationMs: a.durationMs,
          statusCode: a.statusCode,
          error: a.error,
          outcome: a.outcome,
        })),
    })),
    inboundEvents: inbound.map((e) => ({
      partnerId: e.partnerId,
      webhookId: e.webhookId,
      type: e.eventType,
      receivedAt: iso(e.receivedAt),
      outcome: e.outcome,
      ...(e.detail ? { detail: e.detail } : {}),
    })),
    ...remakesOfOrder(deps, orderId),
    feedback: deps.db
      .select()
      .from(fitFeedback)
      .where(eq(fitFeedback.orderId, orderId))
      .all()
      .map(feedbackView),
    complaints: deps.db
      .select()
      .from(complaints)
      .where(eq(complaints.orderId, orderId))
      .orderBy(desc(complaints.createdAt))
      .all()
      .map((c) => complaintView(c)),
  };
}

/** One place that knows the customer: value, grid cell, specs (with history), orders, feedback, complaints. */
export function customerPage(deps: AppDeps, customerId: string) {
  const insight = customerInsights(deps).customers.find((c) => c.id === customerId);
  if (!insight) throw new DomainError('not_found', `There is no customer "${customerId}"`);
  const specRows = deps.db.select().from(specs).where(eq(specs.customerId, customerId)).all();
  const versions = specRows.length
    ? deps.db
        .select()
        .from(specVersions)
        .where(
          inArray(
            specVersions.specId,
            specRows.map((s) => s.id),
          ),
        )
        .orderBy(asc(specVersions.specId), desc(specVersions.version))
        .all()
    : [];
  const feedbackRows = deps.db
    .select()
    .from(fitFeedback)
    .where(eq(fitFeedback.customerId, customerId))
    .orderBy(desc(fitFeedback.createdAt))
    .all();
  const causedBy = new Map(
    feedbackRows
      .filter((f) => f.resultSpecId)
      .map((f) => [`${f.resultSpecId}@${f.resultSpecVersion}`, { feedbackId: f.id, orderId: f.orderId }]),
  );
  const orderRows = searchOrders(deps, {
    customerId,
    sort: 'createdAt',
    order: 'desc',
    limit: 500,
    offset: 0,
  });
  return {
    customer: insight,
    currency: shopCurrency(deps),
    gridCell: { volume: insight.volume, satisfaction: insight.satisfaction, treatment: insight.treatment },
    specs: specRows.map((s) => ({
      id: s.id,
      name: s.name,
      productId: s.productId,
      specCode: s.specCode,
      selection: JSON.parse(s.selection) as Selection,
      version: s.version,
      updatedAt: new Date(s.updatedAt).toISOString(),
      versions: versions
        .filter((v) => v.specId === s.id)
        .map((v) => ({
          version: v.version,
          specCode: v.specCode,
          createdAt: new Date(v.createdAt).toISOString(),
          ...(causedBy.get(`${s.id}@${v.version}`) ? { causedBy: causedBy.get(`${s.id}@${v.version}`) } : {}),
        })),
    })),
    orders: orderRows,
    feedback: feedbackRows.map(feedbackView),
    complaints: deps.db
      .select()
      .from(complaints)
      .where(eq(complaints.customerId, customerId))
      .orderBy(desc(complaints.createdAt))
      .all()
      .map((c) => complaintView(c)),
    remakes: deps.db
      .select()
      .from(remakes)
      .where(eq(remakes.customerId, customerId))
      .orderBy(desc(remakes.createdAt))
      .all()
      .map(remakeView),
  };
}
