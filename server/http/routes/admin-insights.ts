import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { csvResponse, toCsv } from '../../services/insights/csv';
import { customersOverview, partnerInsights, serviceInsights } from '../../services/insights/queries';
import { parseQuery } from '../problem';
import type { AppEnv } from '../types';

const daysQuery = z.object({
  days: z.coerce.number().int().min(1).max(3650).default(90),
  format: z.enum(['json', 'csv']).default('json'),
});

/** The console's charts: customer value (classes, Pareto, grid), partners, feedback and service. */
export function adminInsightRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/api/admin/insights/customers', (c) => c.json(customersOverview(deps)))
    .get('/api/admin/insights/partners', (c) => c.json(partnerInsights(deps, parseQuery(c, daysQuery))))
    .get('/api/admin/insights/service', (c) => {
      const q = parseQuery(c, daysQuery);
      const data = serviceInsights(deps, q);
      if (q.format === 'json') return c.json(data);
      return csvResponse(
        toCsv(data.days, [
          { header: 'day', value: (d) => d.day },
          { header: 'feedback_right', value: (d) => d.feedbackRight },
          { header: 'feedback_adjust', value: (d) => d.feedbackAdjust },
          ...data.categories.map((cat) => ({
            header: `complaints_${cat}`,
            value: (d: (typeof data.days)[number]) => d.complaints[cat] ?? 0,
          })),
        ]),
        'service-per-day.csv',
      );
    });
}
