/**
 * The partner side of the webhook benchmark, in its own process so it never shares an event
 * loop with the dispatcher it measures. Answers 204 at once, or after SLOW_MS for paths under
 * /slow/. GET /stats → request counts; GET /arrivals → [{ id, orderId, at }] since the last call
 * (recorded only with RECORD=1, which parses each body).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const SLOW_MS = Number(process.env.SLOW_MS ?? 10_000);
const RECORD = process.env.RECORD === '1';
let count = 0;
const byPath = new Map<string, number>();
let arrivals: { id: string; orderId: string | null; at: number }[] = [];

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (req.method === 'GET') {
    if (url === '/stats') return void res.end(JSON.stringify({ count, byPath: Object.fromEntries(byPath) }));
    if (url === '/arrivals') {
      const out = arrivals;
      arrivals = [];
      return void res.end(JSON.stringify(out));
    }
    return void res.writeHead(404).end();
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = Date.now();
    count++;
    const key = url.split('/').slice(0, 2).join('/');
    byPath.set(key, (byPath.get(key) ?? 0) + 1);
    if (RECORD) {
      let orderId: string | null = null;
      try {
        orderId =
          (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { orderId?: string } }).data
            ?.orderId ?? null;
      } catch {}
      arrivals.push({ id: String(req.headers['webhook-id'] ?? ''), orderId, at });
    }
    if (url.startsWith('/slow/')) setTimeout(() => res.writeHead(204).end(), SLOW_MS);
    else res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`),
);
process.on('SIGTERM', () => process.exit(0));
