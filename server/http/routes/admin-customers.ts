import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { csvResponse, toCsv } from '../../services/insights/csv';
import { customerPage } from '../../services/insights/operator';
import { type CustomerInsight, listCustomerInsights } from '../../services/insights/queries';
import { parseQuery } from '../problem';
import type { AppEnv } from '../types';

const level = z.enum(['high', 'medium', 'low']);
const listQuery = z.object({
  q: z.string().max(200).optional(),
  valueClass: z.enum(['A', 'B', 'C', 'D']).optional(),
  volume: level.optional(),
  satisfaction: level.optional(),
  sort: z.enum(['revenue', 'orders', 'recency', 'name', 'satisfaction']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  format: z.enum(['json', 'csv']).default('json'),
});

const CSV_COLUMNS = [
  { header: 'id', value: (c: CustomerInsight) => c.id },
  { header: 'name', value: (c: CustomerInsight) => c.name },
  { header: 'email', value: (c: CustomerInsight) => c.email },
  { header: 'value_class', value: (c: CustomerInsight) => c.valueClass },
  { header: 'rfm', value: (c: CustomerInsight) => c.rfm },
  { header: 'orders', value: (c: CustomerInsight) => c.orders },
  { header: 'revenue_minor', value: (c: CustomerInsight) => c.revenue },
  { header: 'last_order_at', value: (c: CustomerInsight) => c.lastOrderAt },
  { header: 'recency_days', value: (c: CustomerInsight) => c.recencyDays },
  { header: 'volume', value: (c: CustomerInsight) => c.volume },
  { header: 'satisfaction', value: (c: CustomerInsight) => c.satisfaction },
  { header: 'satisfaction_score', value: (c: CustomerInsight) => c.satisfactionScore },
  { header: 'treatment', value: (c: CustomerInsight) => c.treatment },
];

/** Customers for operators: tiers, grid cell, and each customer's page. */
export function adminCustomerRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/api/admin/customers', (c) => {
      const q = parseQuery(c, listQuery);
      const page = listCustomerInsights(deps, q.format === 'csv' ? { ...q, limit: 1_000_000, offset: 0 } : q);
      if (q.format === 'csv') return csvResponse(toCsv(page.items, CSV_COLUMNS), 'customers.csv');
      return c.json(page);
    })
    .get('/api/admin/customers/:customerId', (c) => c.json(customerPage(deps, c.req.param('customerId'))));
}
