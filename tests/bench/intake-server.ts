/**
 * The server side of the intake benchmark: the real app (createApp, same middleware as npm start,
 * no webhook dispatcher) plus, in front of it, a bare Hono route that reads the same JSON body
 * and answers, as the baseline, and inside it a route doing only the order route's HTTP work. Started by intake.bench.ts in its own process.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { groupCommitter } from '../../server/db/group-commit';
import { createDeps } from '../../server/deps';
import { createApp } from '../../server/http/app';
import { readJson } from '../../server/http/problem';
import { requireCustomer } from '../../server/http/session';
import { checkIdempotencyKey, requestHash } from '../../server/services/orders/idempotency';
import { orderStatements } from '../../server/services/orders/statements';
import { seedPartners } from '../../server/webhooks/partners';

const deps = createDeps({ env: process.env });
seedPartners(deps.db, deps.catalog, deps.now);
const outer = new Hono();
outer.post('/bench/bare', async (c) => {
  const body = (await c.req.json()) as { lines?: unknown[] };
  return c.json({ ok: true, lines: body.lines?.length ?? 0 }, 201);
});
outer.get('/bench/stats', (c) => {
  const g = groupCommitter(deps.sqlite);
  // ?gc=1 also reports memory after a forced full collection (the process runs with --expose-gc):
  // what the server really holds, apart from garbage V8 has not collected yet.
  const seen = process.memoryUsage();
  const gc = (globalThis as { gc?: () => void }).gc;
  if (c.req.query('gc') === '1' && gc) gc();
  const kept = process.memoryUsage();
  const orders = (deps.sqlite.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
  return c.json({
    rss: seen.rss,
    heapUsed: seen.heapUsed,
    rssAfterGc: kept.rss,
    heapUsedAfterGc: kept.heapUsed,
    orders,
    batches: g.batches,
    jobs: g.jobs,
  });
});
// The order route's HTTP work alone, for comparison: the app's whole middleware (secure headers,
// body limit, origin check, session), the body read, the Idempotency-Key checked, the body hashed
// and the key looked up, and an answer the size of a placed order's, but nothing validated,
// priced, routed or written.
const app = createApp(deps);
const ORDER_SIZED = JSON.stringify({ answer: 'x'.repeat(2600) });
app.post('/api/bench/http-only', async (c) => {
  const customer = requireCustomer(c);
  const key = checkIdempotencyKey(c.req.header('idempotency-key'));
  requestHash(await readJson(c));
  orderStatements(deps.sqlite).findIdempotency.get(customer.id, key);
  return new Response(ORDER_SIZED, { status: 201, headers: { 'content-type': 'application/json' } });
});
outer.route('/', app);
serve({ fetch: outer.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`READY ${info.port}\n`);
});
process.on('SIGTERM', () => {
  deps.sqlite.close();
  process.exit(0);
});
