import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Database from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import { request } from 'undici';

/**
 * The built-in sandbox partners (PARTNERS_SANDBOX=1): a supplier and a 3PL, each a real HTTP
 * server on loopback that behaves like a well-mannered real partner. They verify every webhook
 * with the Standard Webhooks reference library, answer 204 at once, and later post status back
 * signed with the partner's secret: the supplier accepts then completes each production request,
 * the 3PL ships (fake tracking) once the goods it waits for are made, then delivers. One server
 * plays every supplier (the partner id is in the path), one every 3PL.
 *
 * Any partner without a URL (or still pointing at an earlier sandbox run) is pointed at the
 * sandbox at start; a URL an operator set is never touched.
 */
export interface SandboxOptions {
  sqlite: Database.Database;
  /** Where the shop's API listens, e.g. http://127.0.0.1:8787 */
  serverUrl: string;
  /** Delay before each status step, ms. */
  stepMs: number;
  log?: (line: string) => void;
}

const SANDBOX_PATH = '/__sandbox/';
const SANDBOX_URL = /^http:\/\/127\.0\.0\.1:\d+\/__sandbox\//;

interface PartnerSecrets {
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
}

interface Incoming {
  type: string;
  data: {
    orderId: string;
    lines?: { lineId: string; supplierId?: string }[];
  };
}

export async function startSandbox(options: SandboxOptions) {
  const { sqlite, log = () => {} } = options;
  const timers = new Map<string, Set<NodeJS.Timeout>>();
  /** Lines the sandbox supplier has finished, so the sandbox 3PL ships only made goods. */
  const completedLines = new Set<string>();
  /** 3PL orders waiting for goods: orderId → { partnerId, lineIds }. */
  const awaitingGoods = new Map<string, { partnerId: string; lineIds: string[] }>();
  const cancelled = new Set<string>();

  const secretsOf = (partnerId: string): string[] => {
    const p = sqlite
      .prepare<[string], PartnerSecrets>(
        'SELECT secret, previous_secret, previous_secret_expires_at FROM partners WHERE id = ?',
      )
      .get(partnerId);
    if (!p) return [];
    return p.previous_secret && (p.previous_secret_expires_at ?? 0) > Date.now()
      ? [p.secret, p.previous_secret]
      : [p.secret];
  };

  const later = (orderId: string, ms: number, fn: () => void) => {
    const set = timers.get(orderId) ?? new Set();
    const t = setTimeout(() => {
      set.delete(t);
      if (!cancelled.has(orderId)) fn();
    }, ms);
    set.add(t);
    timers.set(orderId, set);
  };

  /** Posts a signed status event to the shop, retrying a few times like a decent partner. */
  const postBack = async (partnerId: string, type: string, data: Record<string, unknown>) => {
    const id = `evt_${randomBytes(12).toString('base64url')}`;
    const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data });
    for (let attempt = 1; attempt <= 5; attempt++) {
      const now = new Date();
      const secret = secretsOf(partnerId)[0];
      if (!secret) return;
      try {
        const res = await request(
          `${options.serverUrl}/api/partners/${encodeURIComponent(partnerId)}/events`,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'webhook-id': id,
              'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
              'webhook-signature': new Webhook(secret).sign(id, now, body),
            },
            body,
            headersTimeout: 10_000,
            bodyTimeout: 10_000,
          },
        );
        const text = await res.body.text();
        if (res.statusCode < 300) {
          log(`sandbox ${partnerId}: ${type} for ${data.orderId} → ${res.statusCode}`);
          return;
        }
        log(`sandbox ${partnerId}: ${type} for ${data.orderId} → ${res.statusCode} ${text.slice(0, 200)}`);
        if (res.statusCode < 500) return;
      } catch (e) {
        log(`sandbox ${partnerId}: posting ${type} failed: ${(e as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  };

  const maybeShip = (orderId: string) => {
    const waiting = awaitingGoods.get(orderId);
    if (!waiting?.lineIds.every((l) => completedLines.has(l))) return;
    awaitingGoods.delete(orderId);
    const trackingNumber = `SBX${randomBytes(5).toString('hex').toUpperCase()}`;
    later(orderId, options.stepMs, () => {
      void postBack(waiting.partnerId, 'shipment.shipped', {
        orderId,
        carrier: 'Sandbox Parcel',
        trackingNumber,
        trackingUrl: `https://tracking.example/sandbox/${trackingNumber}`,
      }).then(() =>
        later(
          orderId,
          options.stepMs,
          () => void postBack(waiting.partnerId, 'shipment.delivered', { orderId }),
        ),
      );
    });
  };

  const onSupplierEvent = (partnerId: string, event: Incoming) => {
    const { orderId } = event.data;
    if (event.type === 'order.cancelled') return cancel(orderId);
    if (event.type !== 'production.requested') return;
    const lineIds = (event.data.lines ?? []).map((l) => l.lineId);
    later(orderId, options.stepMs, () => {
      void postBack(partnerId, 'production.accepted', { orderId, lineIds }).then(() =>
        later(orderId, options.stepMs, () => {
          void postBack(partnerId, 'production.completed', { orderId, lineIds }).then(() => {
            for (const l of lineIds) completedLines.add(l);
            maybeShip(orderId);
          });
        }),
      );
    });
  };

  const onThreePlEvent = (partnerId: string, event: Incoming) => {
    const { orderId } = event.data;
    if (event.type === 'order.cancelled') return cancel(orderId);
    if (event.type !== 'fulfillment.requested') return;
    awaitingGoods.set(orderId, { partnerId, lineIds: (event.data.lines ?? []).map((l) => l.lineId) });
    maybeShip(orderId);
    // Goods from a supplier outside the sandbox: ship anyway after a while, so demos finish.
    later(orderId, Math.max(options.stepMs * 10, 30_000), () => {
      const waiting = awaitingGoods.get(orderId);
      if (waiting) {
        for (const l of waiting.lineIds) completedLines.add(l);
        maybeShip(orderId);
      }
    });
  };

  const cancel = (orderId: string) => {
    cancelled.add(orderId);
    for (const t of timers.get(orderId) ?? []) clearTimeout(t);
    timers.delete(orderId);
    awaitingGoods.delete(orderId);
  };

  const makeServer = (kind: 'supplier' | '3pl') =>
    createServer((req, res) => {
      void readBody(req).then((body) => {
        const partnerId = decodeURIComponent((req.url ?? '').slice(SANDBOX_PATH.length).split('/')[1] ?? '');
        if (req.method !== 'POST' || !partnerId) return void res.writeHead(404).end();
        const headers = {
          'webhook-id': String(req.headers['webhook-id'] ?? ''),
          'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
        };
        let event: Incoming | undefined;
        for (const secret of secretsOf(partnerId)) {
          try {
            event = new Webhook(secret).verify(body, headers) as Incoming;
            break;
          } catch {}
        }
        if (!event) {
          log(`sandbox ${partnerId}: refused a webhook with a bad signature`);
          return void res.writeHead(401, { 'content-type': 'text/plain' }).end('bad signature');
        }
        res.writeHead(204).end();
        if (kind === 'supplier') onSupplierEvent(partnerId, event);
        else onThreePlEvent(partnerId, event);
      });
    });

  const supplier = makeServer('supplier');
  const threePl = makeServer('3pl');
  const listen = (s: Server) =>
    new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
  const [supplierPort, threePlPort] = await Promise.all([listen(supplier), listen(threePl)]);
  const base = {
    supplier: `http://127.0.0.1:${supplierPort}${SANDBOX_PATH}supplier/`,
    '3pl': `http://127.0.0.1:${threePlPort}${SANDBOX_PATH}3pl/`,
  };

  const partners = sqlite
    .prepare<[], { id: string; kind: 'supplier' | '3pl'; url: string | null }>(
      'SELECT id, kind, url FROM partners',
    )
    .all();
  const adopt = sqlite.prepare('UPDATE partners SET url = ?, updated_at = ? WHERE id = ?');
  const adopted: string[] = [];
  for (const p of partners) {
    if (p.url && !SANDBOX_URL.test(p.url)) continue;
    adopt.run(`${base[p.kind]}${encodeURIComponent(p.id)}`, Date.now(), p.id);
    adopted.push(p.id);
  }
  log(
    `sandbox partners: supplier on 127.0.0.1:${supplierPort}, 3PL on 127.0.0.1:${threePlPort} (playing ${adopted.join(', ') || 'nobody'})`,
  );

  return {
    hosts: [`127.0.0.1:${supplierPort}`, `127.0.0.1:${threePlPort}`],
    adopted,
    close: async () => {
      for (const set of timers.values()) for (const t of set) clearTimeout(t);
      timers.clear();
      await Promise.all(
        [supplier, threePl].map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      );
    },
  };
}

/** Clears partner URLs handed out by a sandbox (when it is switched off); returns how many. */
export function forgetSandboxUrls(sqlite: Database.Database): number {
  const rows = sqlite
    .prepare<[], { id: string; url: string }>('SELECT id, url FROM partners WHERE url IS NOT NULL')
    .all();
  const clear = sqlite.prepare('UPDATE partners SET url = NULL, updated_at = ? WHERE id = ?');
  let n = 0;
  for (const r of rows) {
    if (SANDBOX_URL.test(r.url)) {
      clear.run(Date.now(), r.id);
      n++;
    }
  }
  return n;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1024 * 1024) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
