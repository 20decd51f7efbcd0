/**
 * The server side of the intake benchmark: the real app (createApp, same middleware as npm start,
 * no webhook dispatcher) plus, in front of it, a bare Hono route that reads the same JSON body
 * and answers, as the baseline. Started by intake.bench.ts in its own process.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { groupCommitter } from '../../server/db/group-commit';
import { createDeps } from '../../server/deps';
import { createApp } from '../../server/http/app';
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
outer.route('/', createApp(deps));
serve({ fetch: outer.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`READY ${info.port}\n`);
});
process.on('SIGTERM', () => {
  deps.sqlite.close();
  process.exit(0);
});
