import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { csvResponse, toCsv } from '../../services/insights/csv';
import { orderCustomerId, orderDetail, searchOrders } from '../../services/insights/operator';
import { cancelOrder } from '../../services/orders/cancel';
import { parseQuery } from '../problem';
import { isoDateParam } from '../schemas';
import type { AppEnv } from '../types';

const searchQuery = z.object({
  q: z.string().max(200).optional(),
  status: z
    .enum(['placed', 'in_production', 'produced', 'shipped', 'delivered', 'cancelled', 'rejected'])
    .optional(),
  partnerId: z.string().max(200).optional(),
  customerId: z.string().max(200).optional(),
  failed: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  from: isoDateParam.optional(),
  to: isoDateParam.optional(),
  sort: z.enum(['createdAt', 'total', 'status']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(5000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  format: z.enum(['json', 'csv']).default('json'),
});

type Row = ReturnType<typeof searchOrders>['items'][number];
const CSV_COLUMNS = [
  { header: 'id', value: (o: Row) => o.id },
  { header: 'created_at', value: (o: Row) => o.createdAt },
  { header: 'status', value: (o: Row) => o.status },
  { header: 'currency', value: (o: Row) => o.currency },
  { header: 'total_minor', value: (o: Row) => o.total },
  { header: 'customer_id', value: (o: Row) => o.customer.id },
  { header: 'customer_email', value: (o: Row) => o.customer.email },
  { header: 'lines', value: (o: Row) => o.lines },
  { header: 'suppliers', value: (o: Row) => o.suppliers.join(' ') },
  { header: 'three_pl', value: (o: Row) => o.threePlId },
  { header: 'failed_deliveries', value: (o: Row) => o.failedDeliveries },
  { header: 'remake', value: (o: Row) => o.isRemake },
];

/** Orders for operators: search, detail with deliveries and attempts, cancel. */
export function adminOrderRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/api/admin/orders', (c) => {
      const q = parseQuery(c, searchQuery);
      if (q.format === 'csv')
        return csvResponse(
          toCsv(searchOrders(deps, { ...q, limit: 100_000, offset: 0 }).items, CSV_COLUMNS),
          'orders.csv',
        );
      return c.json(searchOrders(deps, q));
    })
    .get('/api/admin/orders/:orderId', (c) => c.json(orderDetail(deps, c.req.param('orderId'))))
    .post('/api/admin/orders/:orderId/cancel', (c) => {
      const orderId = c.req.param('orderId');
      cancelOrder(deps, orderCustomerId(deps, orderId), orderId, 'operator');
      return c.json(orderDetail(deps, orderId));
    });
}
