import { Hono } from 'hono';

/**
 * Operator routes for partners and deliveries, and the inbound endpoint partners post status to.
 * Mounted by the app with `app.route('/', webhookRoutes(deps))`.
 */
// biome-ignore lint/suspicious/noExplicitAny: placeholder until AppDeps exists (server/deps.ts)
export function webhookRoutes(_deps: any): Hono {
  const app = new Hono();
  return app;
}
