/**
 * Webhook delivery benchmark (issue 4).
 *
 *   npm run bench -- webhooks      (WEBHOOK_BENCH_N=20000 messages for throughput by default)
 *
 * 1. Throughput: the dispatcher delivering N outbox rows to a loopback receiver answering 204,
 *    against a bare undici request loop with the same concurrency, body and headers, same run.
 * 2. Isolation: deliveries/s to two healthy partners, alone and while a third answers in 10 s.
 * 3. Order-to-webhook latency under light load (10 orders/s) through the real server (`npm
 *    start`'s main.ts, dispatcher in its worker thread): receiver arrival − order created_at.
 * 4. Saturation: 32 connections of order intake for 15 s; orders/s, deliveries/s and the outbox
 *    backlog each second, then how long the backlog takes to drain.
 * The receiver runs in its own process (tests/bench/webhooks-receiver.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { nearestValid } from '../../catalog/index';
import { loadCatalogFromDisk } from '../../server/catalog-files';
import { openDatabase } from '../../server/db/client';
import { newId } from '../../server/services/ids';
import { Dispatcher } from '../../server/webhooks/dispatcher';
import { outboxWriter } from '../../server/webhooks/outbox';
import { seedPartners } from '../../server/webhooks/partners';
import { signatureHeader } from '../../server/webhooks/signing';

const N = Number(process.env.WEBHOOK_BENCH_N ?? 20_000);
const CONCURRENCY = 32;
const ROOT = join(import.meta.dirname, '..', '..');
const ONLY = (process.env.WEBHOOK_BENCH_ONLY ?? '1,2,3,4').split(',');
const RANDOM_IDS = process.env.WEBHOOK_BENCH_IDS === 'random';
const catalog = loadCatalogFromDisk();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A realistic production.requested body (2 lines, every option named): ~1.3 KB.
const jeans = catalog.products.get('jeans')!;
const sel = nearestValid(jeans, {}).selection;
const BODY = JSON.stringify({
  type: 'production.requested',
  timestamp: new Date().toISOString(),
  data: {
    orderId: 'ord_benchmark0000000000000',
    threePlId: '3pl-eu',
    lines: [1, 2].map((i) => ({
      lineId: `line_${i}_benchmark00000000000`,
      productId: 'jeans',
      specCode: 'JEANS-BENCH',
      quantity: i,
      options: Object.entries(sel).map(([moduleId, optionId]) => ({
        moduleId,
        optionId,
        label: `${moduleId} ${optionId}`,
      })),
    })),
  },
});

function spawnReady(
  args: string[],
  env: Record<string, string>,
  pattern: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolve({ child, match: m });
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited ${code}: ${out}`)));
  });
}

async function startReceiver(env: Record<string, string> = {}) {
  const { child, match } = await spawnReady(
    [join(import.meta.dirname, 'webhooks-receiver.ts')],
    env,
    /READY (\d+)/,
  );
  const origin = `http://127.0.0.1:${match[1]}`;
  const get = async (path: string) => (await fetch(origin + path)).json();
  return {
    origin,
    stats: () => get('/stats') as Promise<{ count: number; byPath: Record<string, number> }>,
    arrivals: () => get('/arrivals') as Promise<{ id: string; orderId: string | null; at: number }[]>,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'tl-webhook-bench-'));
  const path = join(dir, 'bench.db');
  const { sqlite, db } = openDatabase(path);
  seedPartners(db, catalog);
  const cleanup = () => {
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { path, sqlite, cleanup };
}

function enqueue(sqlite: Database.Database, partnerId: string, n: number) {
  const outbox = outboxWriter(sqlite);
  const now = Date.now();
  sqlite.transaction(() => {
    for (let i = 0; i < n; i++)
      outbox.run({
        // Ids as the shop makes them (time first), so the attempt log's message index grows at its
        // right edge as in production; WEBHOOK_BENCH_IDS=random gives the old all-random ids.
        id: RANDOM_IDS ? `msg_${randomBytes(12).toString('base64url')}` : newId('msg'),
        partnerId,
        eventType: 'production.requested',
        orderId: null,
        payload: BODY,
        nextAttemptAt: now,
        createdAt: now,
      });
  })();
}

async function bareLoop(origin: string, n: number) {
  const pool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1 });
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  let sent = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < n) {
        sent++;
        const id = `msg_${randomBytes(12).toString('base64url')}`;
        const ts = Math.floor(Date.now() / 1000);
        // Same headers as the dispatcher sends, signature included, so only the dispatcher's own
        // work (claiming, recording) separates the two.
        const res = await pool.request({
          path: '/fast/bare',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(ts),
            'webhook-signature': signatureHeader([secret], id, ts, BODY),
          },
          body: BODY,
        });
        await res.body.dump();
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  cpuUs.bare.push(cpuPer(cpu0, n));
  await pool.close();
  return n / s;
}

/** This process's CPU time (user + system, all threads) per request since `from`, in µs. */
function cpuPer(from: NodeJS.CpuUsage, n: number): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / n;
}
/** CPU per request of each measured run: on a shared machine a steadier figure than req/s. */
const cpuUs = { bare: [] as number[], dispatcher: [] as number[] };

async function dispatcherRun(
  origin: string,
  plan: { partner: string; path: string; n: number }[],
  measure: string[],
  concurrency: number,
) {
  const t = tempDb();
  for (const p of plan)
    t.sqlite.prepare('UPDATE partners SET url = ? WHERE id = ?').run(`${origin}${p.path}`, p.partner);
  for (const p of plan) enqueue(t.sqlite, p.partner, p.n);
  // As in `npm start`: the dispatcher's own connection at synchronous=NORMAL.
  const own = openDatabase(t.path, { migrate: false, synchronous: 'NORMAL' });
  const d = new Dispatcher({
    sqlite: own.sqlite,
    retrySchedule: [5, 300],
    allowPrivate: true,
    partnerConcurrency: concurrency,
    pollMs: 10,
  });
  const target = plan.filter((p) => measure.includes(p.partner)).reduce((a, p) => a + p.n, 0);
  const delivered = () => measure.reduce((a, p) => a + (d.deliveredTo.get(p) ?? 0), 0);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  d.start();
  while (delivered() < target) await sleep(2);
  const s = (performance.now() - t0) / 1000;
  cpuUs.dispatcher.push(cpuPer(cpu0, target));
  if (process.env.WEBHOOK_BENCH_DEBUG) console.log(JSON.stringify(d.stats), s.toFixed(2));
  await d.stop();
  own.sqlite.close();
  t.cleanup();
  return target / s;
}

const machine = `${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}`;
console.log(`webhook benchmark on ${machine}; body ${BODY.length} bytes`);

if (process.env.PROFILE_DISPATCHER) {
  const rx = await startReceiver();
  await dispatcherRun(
    rx.origin,
    [{ partner: 'workshop', path: '/fast/workshop', n: N }],
    ['workshop'],
    CONCURRENCY,
  );
  await rx.stop();
}

if (ONLY.includes('1')) {
  const rx = await startReceiver();
  try {
    await bareLoop(rx.origin, 2000);
    await dispatcherRun(
      rx.origin,
      [{ partner: 'workshop', path: '/fast/workshop', n: 2000 }],
      ['workshop'],
      CONCURRENCY,
    );
    const bare1 = await bareLoop(rx.origin, N);
    const disp = await dispatcherRun(
      rx.origin,
      [{ partner: 'workshop', path: '/fast/workshop', n: N }],
      ['workshop'],
      CONCURRENCY,
    );
    const bare2 = await bareLoop(rx.origin, N);
    const bare = (bare1 + bare2) / 2;
    console.log(`\n## 1. throughput (concurrency ${CONCURRENCY}, ${N} deliveries)`);
    console.log(
      `bare undici loop: ${bare1.toFixed(0)} and ${bare2.toFixed(0)} req/s (mean ${bare.toFixed(0)})`,
    );
    console.log(`dispatcher: ${disp.toFixed(0)} deliveries/s (claim, sign, send, record each attempt)`);
    console.log(`ratio: ${(disp / bare).toFixed(2)} (target >= 0.6)`);
    const [b1, b2] = cpuUs.bare.slice(-2) as [number, number];
    const dc = cpuUs.dispatcher.at(-1)!;
    console.log(
      `CPU of this process: bare loop ${b1.toFixed(0)} and ${b2.toFixed(0)} µs/request, dispatcher ${dc.toFixed(0)} µs/delivery (bare/dispatcher ${((b1 + b2) / 2 / dc).toFixed(2)})`,
    );
  } finally {
    await rx.stop();
  }
}

if (ONLY.includes('2')) {
  const rx = await startReceiver({ SLOW_MS: '10000' });
  try {
    const healthy = [
      { partner: 'workshop', path: '/fast/workshop', n: N / 2 },
      { partner: '3pl-eu', path: '/fast/3pl-eu', n: N / 2 },
    ];
    // Interleaved, three of each, so drift in the machine's load hits both alike.
    const alone: number[] = [];
    const withSlow: number[] = [];
    for (let i = 0; i < 3; i++) {
      alone.push(await dispatcherRun(rx.origin, healthy, ['workshop', '3pl-eu'], 16));
      withSlow.push(
        await dispatcherRun(
          rx.origin,
          [...healthy, { partner: 'shirtmaker', path: '/slow/shirtmaker', n: 2000 }],
          ['workshop', '3pl-eu'],
          16,
        ),
      );
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    console.log(
      `\n## 2. isolation (per-partner concurrency 16; ${N} deliveries to 2 healthy partners; 3 interleaved runs each)`,
    );
    console.log(
      `healthy alone: ${alone.map((x) => x.toFixed(0)).join(', ')}/s (median ${med(alone).toFixed(0)}); ` +
        `while a third partner answers in 10 s: ${withSlow.map((x) => x.toFixed(0)).join(', ')}/s (median ${med(withSlow).toFixed(0)})`,
    );
    console.log(
      `change of medians: ${(((med(withSlow) - med(alone)) / med(alone)) * 100).toFixed(1)}% (target: at most 10% lower)`,
    );
  } finally {
    await rx.stop();
  }
}

async function startShop(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'tl-webhook-bench-shop-'));
  const path = join(dir, 'shop.db');
  const { child, match } = await spawnReady(
    ['server/main.ts'],
    {
      NODE_ENV: 'development',
      PORT: '0',
      DATABASE_PATH: path,
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      PARTNERS_SANDBOX: '0',
      SITE_BUILD: '0',
      SCRYPT_LOG_N: '10',
      WEBHOOK_ALLOW_PRIVATE: '1',
      ...env,
    },
    /listening on (http:\/\/127\.0\.0\.1:\d+)/,
  );
  const pool = new Pool(match[1]!, { connections: CONCURRENCY });
  const call = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await pool.request({
      method: method as 'POST',
      path: p,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  };
  return {
    path,
    call,
    db: () => new Database(path, { readonly: true }),
    stop: async () => {
      await pool.close();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const shirt = nearestValid(catalog.products.get('shirt')!, {}).selection;
const ORDER = {
  lines: [
    { productId: 'jeans', selection: sel, quantity: 1 },
    { productId: 'shirt', selection: shirt, quantity: 2 },
  ],
  shipTo: {
    name: 'Ada Lovelace',
    line1: '12 Analytical Row',
    city: 'London',
    postalCode: 'N1 9GU',
    country: 'GB',
  },
};

async function prepareShop(shop: Awaited<ReturnType<typeof startShop>>, origin: string) {
  const admin = { authorization: 'Bearer bench-admin-token-0123456789' };
  const partners = (await shop.call('GET', '/api/admin/partners', undefined, admin)).json as { id: string }[];
  for (const p of partners)
    await shop.call('PATCH', `/api/admin/partners/${p.id}`, { url: `${origin}/fast/${p.id}` }, admin);
  const cookies: string[] = [];
  for (let i = 0; i < CONCURRENCY; i++) {
    const r = await shop.call('POST', '/api/auth/register', {
      email: `b${i}@example.com`,
      password: 'benchmark password',
      name: `B${i}`,
    });
    cookies.push(String(r.headers['set-cookie']).split(';')[0]!);
  }
  return cookies;
}

let key = 0;
const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

if (ONLY.includes('3')) {
  const rx = await startReceiver({ RECORD: '1' });
  const shop = await startShop({ WEBHOOK_DISPATCHER: 'worker' });
  try {
    const cookies = await prepareShop(shop, rx.origin);
    for (let i = 0; i < 20; i++) {
      await shop.call('POST', '/api/orders', ORDER, {
        cookie: cookies[i % CONCURRENCY]!,
        'idempotency-key': `w${++key}`,
      });
      await sleep(50);
    }
    await sleep(500);
    await rx.arrivals(); // warm-up deliveries (first connections, JIT) are not measured
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await shop.call('POST', '/api/orders', ORDER, {
        cookie: cookies[i % CONCURRENCY]!,
        'idempotency-key': `l${++key}`,
      });
      if (r.status === 201) ids.push(r.json.id);
      await sleep(100);
    }
    await sleep(1000);
    const arrivals = await rx.arrivals();
    const db = shop.db();
    const created = new Map(
      (db.prepare('SELECT id, created_at FROM orders').all() as { id: string; created_at: number }[]).map(
        (o) => [o.id, o.created_at],
      ),
    );
    db.close();
    const first = new Map<string, { at: number; orderId: string | null }>();
    for (const a of arrivals) if (!first.has(a.id)) first.set(a.id, a);
    const lat = [...first.values()]
      .filter((a) => a.orderId && created.has(a.orderId))
      .map((a) => a.at - created.get(a.orderId!)!);
    lat.sort((a, b) => a - b);
    console.log(
      `\n## 3. order-to-webhook latency (10 orders/s, ${ids.length} orders, ${lat.length} webhooks, dispatcher thread)`,
    );
    console.log(
      `p50 ${q(lat, 0.5)} ms, p90 ${q(lat, 0.9)} ms, p99 ${q(lat, 0.99)} ms, max ${lat.at(-1)} ms (targets 20 / 100 ms)`,
    );
  } finally {
    await shop.stop();
    await rx.stop();
  }
}

if (ONLY.includes('4')) {
  for (const mode of (process.env.WEBHOOK_BENCH_MODES ?? 'worker,inline').split(',')) {
    const rx = await startReceiver();
    const shop = await startShop({ WEBHOOK_DISPATCHER: mode });
    try {
      const cookies = await prepareShop(shop, rx.origin);
      const db = shop.db();
      const sample = db.prepare(
        `SELECT (SELECT count(*) FROM orders) AS orders,
                (SELECT count(*) FROM webhook_messages WHERE status = 'delivered') AS delivered,
                (SELECT count(*) FROM webhook_messages WHERE status = 'pending') AS pending`,
      );
      // Warm-up: the dispatcher thread is up and has connected to every partner.
      for (let i = 0; i < 8; i++)
        await shop.call('POST', '/api/orders', ORDER, {
          cookie: cookies[i]!,
          'idempotency-key': `sw${++key}`,
        });
      while ((sample.get() as { pending: number }).pending > 0) await sleep(50);
      const base = sample.get() as { orders: number; delivered: number };
      const rows: { t: number; orders: number; delivered: number; pending: number }[] = [];
      const t0 = performance.now();
      let loading = true;
      const sampler = (async () => {
        while (loading || (sample.get() as { pending: number }).pending > 0) {
          const s = sample.get() as { orders: number; delivered: number; pending: number };
          rows.push({
            t: (performance.now() - t0) / 1000,
            ...s,
            orders: s.orders - base.orders,
            delivered: s.delivered - base.delivered,
          });
          if (performance.now() - t0 > 60_000) break;
          await sleep(1000);
        }
      })();
      const until = performance.now() + 15_000;
      await Promise.all(
        cookies.map(async (cookie) => {
          while (performance.now() < until)
            await shop.call('POST', '/api/orders', ORDER, { cookie, 'idempotency-key': `s${++key}` });
        }),
      );
      const loadEnd = (performance.now() - t0) / 1000;
      loading = false;
      await sampler;
      const end = sample.get() as { orders: number; delivered: number; pending: number };
      rows.push({
        t: (performance.now() - t0) / 1000,
        ...end,
        orders: end.orders - base.orders,
        delivered: end.delivered - base.delivered,
      });
      db.close();
      console.log(`\n## 4. saturation, dispatcher ${mode} (32 connections of order intake for 15 s)`);
      console.log('| t (s) | orders | orders/s | delivered | deliveries/s | backlog (pending) |');
      console.log('| --- | --- | --- | --- | --- | --- |');
      let prev = { t: 0, orders: 0, delivered: 0 };
      for (const r of rows) {
        const dt = r.t - prev.t || 1;
        console.log(
          `| ${r.t.toFixed(1)} | ${r.orders} | ${((r.orders - prev.orders) / dt).toFixed(0)} | ${r.delivered} | ${((r.delivered - prev.delivered) / dt).toFixed(0)} | ${r.pending} |`,
        );
        prev = r;
      }
      const loadRows = rows.filter((r) => r.t <= loadEnd);
      const last = loadRows.at(-1)!;
      console.log(
        `during load: ${(last.orders / last.t).toFixed(0)} orders/s, ${(last.delivered / last.t).toFixed(0)} deliveries/s (${(last.orders ? last.delivered / last.orders : 0).toFixed(2)} webhooks per order); ` +
          `backlog drained ${(rows.at(-1)!.t - loadEnd).toFixed(1)} s after the load stopped`,
      );
    } finally {
      await shop.stop();
      await rx.stop();
    }
  }
}
