/**
 * Order intake benchmark (issue 3): throughput and latency of POST /api/orders for a realistic
 * 2-line order at 32 concurrent connections, as a ratio to a bare Hono route reading the same
 * JSON body, in the same server process and the same run. The server runs in its own process
 * pinned to core 0; this load generator pins itself to core 1.
 *
 *   npm run bench -- intake            (INTAKE_SECONDS=10, INTAKE_RSS_ORDERS=100000 by default)
 */
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { nearestValid } from '../../catalog/index';
import { loadCatalogFromDisk } from '../../server/catalog-files';

const SECONDS = Number(process.env.INTAKE_SECONDS ?? 10);
const RSS_ORDERS = Number(process.env.INTAKE_RSS_ORDERS ?? 100_000);
const CONNECTIONS = 32;
const hasTaskset = (() => {
  try {
    execSync('command -v taskset', { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (hasTaskset) execSync(`taskset -p -c 1 ${process.pid}`, { stdio: 'ignore' });

const catalog = loadCatalogFromDisk();
const shirt = nearestValid(catalog.products.get('shirt')!, {}).selection;
const ORDER = {
  lines: [
    {
      productId: 'jeans',
      selection: {
        size: 'w34-h42',
        inseam: 'l32',
        fit: 'straight',
        rise: 'mid',
        fabric: 'classic-12',
        stretch: 'none',
        wash: 'rinse',
        hem: 'standard',
      },
      quantity: 1,
    },
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
const BODY = JSON.stringify(ORDER);

interface Scenario {
  name: string;
  env: Record<string, string>;
}

async function startServer(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'tailorloop-bench-'));
  const args = ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'intake-server.ts')];
  const child = hasTaskset
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], {
        env: {
          ...process.env,
          ...env,
          DATABASE_PATH: join(dir, 'bench.db'),
          PORT: '0',
          SCRYPT_LOG_N: '10',
          SCRYPT_WEAK_FOR_TESTS: '1',
          NODE_ENV: 'production',
          COOKIE_SECURE: '0',
          // One client address registers every connection's customer.
          REGISTRATIONS_PER_HOUR: '1000',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
    : spawn(process.execPath, args, {
        env: {
          ...process.env,
          ...env,
          DATABASE_PATH: join(dir, 'bench.db'),
          PORT: '0',
          SCRYPT_LOG_N: '10',
          SCRYPT_WEAK_FOR_TESTS: '1',
          NODE_ENV: 'production',
          COOKIE_SECURE: '0',
          // One client address registers every connection's customer.
          REGISTRATIONS_PER_HOUR: '1000',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const origin = `http://127.0.0.1:${port}`;
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 });
  return {
    origin,
    pool,
    dir,
    pid: child.pid!,
    stop: async () => {
      await pool.close();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function register(pool: Pool, i: number): Promise<string> {
  const res = await pool.request({
    path: '/api/auth/register',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `bench${i}@example.com`,
      password: 'benchmark password',
      name: `Bench ${i}`,
    }),
  });
  await res.body.text();
  if (res.statusCode !== 201) throw new Error(`register ${res.statusCode}`);
  const sc = res.headers['set-cookie'];
  return String(Array.isArray(sc) ? sc[0] : sc).split(';')[0]!;
}

let keySeq = 0;
const CLOCK_TICKS = (() => {
  try {
    return Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system, µs) the server process has used so far; undefined off Linux. */
function serverCpuMicros(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

type Kind = 'bare' | 'orders' | 'http-only' | 'writes-only';
const PATHS: Record<Kind, string> = {
  bare: '/bench/bare',
  orders: '/api/orders',
  'http-only': '/api/bench/http-only',
  'writes-only': '/bench/writes-only',
};

async function load(
  server: { pool: Pool; pid: number },
  cookies: string[],
  kind: Kind,
  stop: { seconds?: number; requests?: number },
) {
  const pool = server.pool;
  const cpu0 = serverCpuMicros(server.pid);
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const until = stop.seconds ? started + stop.seconds * 1000 : Number.POSITIVE_INFINITY;
  await Promise.all(
    cookies.map(async (cookie) => {
      while (performance.now() < until && (stop.requests === undefined || sent < stop.requests)) {
        sent++;
        const t0 = performance.now();
        const res = await pool.request({
          path: PATHS[kind],
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'idempotency-key': `k${++keySeq}` },
          body: BODY,
        });
        await res.body.text();
        latencies.push(performance.now() - t0);
        if (res.statusCode !== 201) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu1 = serverCpuMicros(server.pid);
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    p50: q(0.5),
    p99: q(0.99),
    elapsed,
    /** Server CPU per request, µs (the server's one core: what each request costs it). */
    cpuPerRequest: cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / latencies.length : Number.NaN,
  };
}

async function stats(pool: Pool, gc = false) {
  const res = await pool.request({ path: gc ? '/bench/stats?gc=1' : '/bench/stats', method: 'GET' });
  return (await res.body.json()) as {
    rss: number;
    heapUsed: number;
    rssAfterGc: number;
    heapUsedAfterGc: number;
    orders: number;
    batches: number;
    jobs: number;
  };
}

const scenarios: Scenario[] = [
  { name: 'synchronous=FULL, group commit', env: { SQLITE_SYNCHRONOUS: 'FULL', GROUP_COMMIT: '1' } },
  {
    name: 'synchronous=FULL, one transaction per order',
    env: { SQLITE_SYNCHRONOUS: 'FULL', GROUP_COMMIT: '0' },
  },
  { name: 'synchronous=NORMAL, group commit', env: { SQLITE_SYNCHRONOUS: 'NORMAL', GROUP_COMMIT: '1' } },
  {
    name: 'synchronous=NORMAL, one transaction per order',
    env: { SQLITE_SYNCHRONOUS: 'NORMAL', GROUP_COMMIT: '0' },
  },
];

console.log(
  `intake benchmark: ${CONNECTIONS} connections, ${SECONDS} s per measurement, ${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}, taskset ${hasTaskset ? 'server core 0, load core 1' : 'unavailable'}`,
);
console.log(`order body: ${BODY.length} bytes, 2 lines (jeans ×1, shirt ×2)`);
const rows: string[] = [];
let rssLine = '';
let httpLine = '';
let writesLine = '';
let cpuLine = '';
for (const [i, s] of scenarios.entries()) {
  const server = await startServer(s.env);
  try {
    const cookies = await Promise.all(
      Array.from({ length: CONNECTIONS }, (_, k) => register(server.pool, k)),
    );
    await load(server, cookies, 'bare', { seconds: 2 });
    await load(server, cookies, 'orders', { seconds: 2 });
    const bare = await load(server, cookies, 'bare', { seconds: SECONDS });
    const before = await stats(server.pool);
    const orders = await load(server, cookies, 'orders', { seconds: SECONDS });
    const after = await stats(server.pool);
    const batch =
      after.batches > before.batches ? (after.jobs - before.jobs) / (after.batches - before.batches) : 1;
    const row = `| ${s.name} | ${bare.rps.toFixed(0)} | ${bare.p99.toFixed(1)} | ${orders.rps.toFixed(0)} | ${orders.p50.toFixed(1)} | ${orders.p99.toFixed(1)} | ${(orders.rps / bare.rps).toFixed(2)} | ${batch.toFixed(1)} | ${orders.errors} |`;
    console.log(row);
    rows.push(row);
    let httpCpu = Number.NaN;
    if (i === 0) {
      // What the contract's HTTP work alone allows: session, idempotency, a placed order's answer.
      const http = await load(server, cookies, 'http-only', { seconds: SECONDS });
      httpCpu = http.cpuPerRequest;
      httpLine = `order route's HTTP work only (${s.name}; middleware, session, Idempotency-Key hash and lookup, a 2.6 KB answer; nothing validated, priced or written): ${http.rps.toFixed(0)} req/s, p99 ${http.p99.toFixed(1)} ms, ratio to the bare route ${(http.rps / bare.rps).toFixed(2)}, non-201 ${http.errors}`;
      console.log(httpLine);
    }
    if (i === 0 && RSS_ORDERS > 0) {
      const have = (await stats(server.pool)).orders;
      if (have < RSS_ORDERS) await load(server, cookies, 'orders', { requests: RSS_ORDERS - have });
      const st = await stats(server.pool, true);
      const db =
        statSync(join(server.dir, 'bench.db')).size +
        (statSync(join(server.dir, 'bench.db-wal'), { throwIfNoEntry: false })?.size ?? 0);
      rssLine = `RSS after ${st.orders.toLocaleString('en-US')} orders (${s.name}): ${(st.rss / 2 ** 20).toFixed(0)} MiB (heap used ${(st.heapUsed / 2 ** 20).toFixed(0)} MiB), after a forced GC ${(st.rssAfterGc / 2 ** 20).toFixed(0)} MiB (heap ${(st.heapUsedAfterGc / 2 ** 20).toFixed(0)} MiB); database + WAL ${(db / 2 ** 20).toFixed(0)} MiB`;
      console.log(rssLine);
    }
    if (i === 0) {
      // After the memory figure, so that it is the order route's alone (these rows count as orders).
      // What the required writes alone allow: the bare route plus the order's rows in group commit.
      const writes = await load(server, cookies, 'writes-only', { seconds: SECONDS });
      writesLine = `required writes only (${s.name}; the bare route plus a placed order's rows, planned once, written with fresh ids; no middleware, session, validation, pricing or routing): ${writes.rps.toFixed(0)} req/s, p99 ${writes.p99.toFixed(1)} ms, ratio to the bare route ${(writes.rps / bare.rps).toFixed(2)}, non-201 ${writes.errors}`;
      console.log(writesLine);
      cpuLine = `server CPU per request (${s.name}): bare ${bare.cpuPerRequest.toFixed(0)} µs, HTTP work only ${httpCpu.toFixed(0)} µs, required writes only ${writes.cpuPerRequest.toFixed(0)} µs, order ${orders.cpuPerRequest.toFixed(0)} µs`;
      console.log(cpuLine);
    }
  } finally {
    await server.stop();
  }
}
console.log(
  '\n| scenario | bare req/s | bare p99 ms | orders/s | order p50 ms | order p99 ms | ratio | orders per commit | non-201 |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
if (httpLine) console.log(`\n${httpLine}`);
if (writesLine) console.log(writesLine);
if (cpuLine) console.log(cpuLine);
if (rssLine) console.log(`\n${rssLine}`);
