/**
 * The server side of the intake benchmark: the real app (createApp, same middleware as npm start,
 * no webhook dispatcher) plus, in front of it, a bare Hono route that reads the same JSON body
 * and answers, as the baseline, and inside it a route doing only the order route's HTTP work. Started by intake.bench.ts in its own process.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { writeTransaction } from '../../server/db/client';
import { groupCommitter } from '../../server/db/group-commit';
import { createDeps } from '../../server/deps';
import { createApp } from '../../server/http/app';
import { readJson } from '../../server/http/problem';
import { orderRequestSchema } from '../../server/http/schemas';
import { requireCustomer } from '../../server/http/session';
import { newId } from '../../server/services/ids';
import { checkIdempotencyKey, requestHash } from '../../server/services/orders/idempotency';
import { type PlannedOrder, planOrder, writeOrder } from '../../server/services/orders/place';
import { orderStatements } from '../../server/services/orders/statements';
import { seedPartners } from '../../server/webhooks/partners';

const deps = createDeps({ env: process.env });
seedPartners(deps.db, deps.catalog, deps.now);
const outer = new Hono();
outer.post('/bench/bare', async (c) => {
  const body = (await c.req.json()) as { lines?: unknown[] };
  return c.json({ ok: true, lines: body.lines?.length ?? 0 }, 201);
});
// The writes a placed order must make and nothing else: the same JSON body read as the bare route
// reads it, then the order's rows (order, 2 lines, first event, one outbox message per partner,
// idempotency record; planned once from the first body, given fresh ids each time) written through
// the same group commit (or one transaction each) at the same synchronous setting. No middleware,
// session, validation, pricing or routing: a ceiling for any order route that keeps the issue's
// one-transaction rule and these rows.
const BENCH_CUSTOMER = 'cus_bench_writes';
deps.sqlite
  .prepare('INSERT INTO customers (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
  .run(BENCH_CUSTOMER, 'writes@bench.invalid', 'Bench', 'x', Date.now());
let template: PlannedOrder | undefined;
let writeSeq = 0;
outer.post('/bench/writes-only', async (c) => {
  const body = await c.req.json();
  template ??= planOrder(deps, {
    customerId: BENCH_CUSTOMER,
    input: orderRequestSchema.parse(body),
    idempotency: { key: 'template', hash: requestHash(body) },
  });
  const orderId = newId('ord');
  const plan: PlannedOrder = {
    ...template,
    order: { ...template.order, id: orderId },
    lines: template.lines.map((l) => ({ ...l, id: newId('line'), orderId })),
    idempotency: { ...template.idempotency, key: `w${++writeSeq}` },
  };
  const write = () => writeOrder(deps, plan);
  if (deps.env.GROUP_COMMIT) await groupCommitter(deps.sqlite).submit(write);
  else writeTransaction(deps.sqlite, write);
  return c.json({ ok: true, lines: plan.lines.length }, 201);
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
