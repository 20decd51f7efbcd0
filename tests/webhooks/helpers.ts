import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import type { Pool } from 'undici';
import { realCatalog } from '../../catalog/engine/test-fixtures';
import { openDatabase } from '../../server/db/client';
import { outboxWriter } from '../../server/webhooks/outbox';
import { seedPartners } from '../../server/webhooks/partners';

/** A fresh migrated database file with the catalog partners seeded; `cleanup` deletes it. */
export function tempDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'tl-webhooks-'));
  const path = join(dir, 'test.db');
  const { sqlite, db } = openDatabase(path);
  seedPartners(db, realCatalog());
  return {
    path,
    sqlite,
    db,
    cleanup: () => {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  verified: boolean;
  path: string;
  at: number;
}

export type Behaviour = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/**
 * A real receiver on 127.0.0.1 that verifies every request with the reference library's
 * `Webhook.verify`, using the secrets `secretsFor(path)` returns (a request verifies if any does).
 */
export async function startReceiver(secretsFor: (path: string) => string[]) {
  const received: Received[] = [];
  let behaviour: Behaviour = (_req, res) => res.writeHead(204).end();
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      let verified = false;
      for (const s of secretsFor(req.url ?? '/')) {
        try {
          new Webhook(s).verify(body, headers);
          verified = true;
          break;
        } catch {}
      }
      received.push({
        id: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signature: headers['webhook-signature'],
        body,
        verified,
        path: req.url ?? '/',
        at: Date.now(),
      });
      behaviour(req, res, ++n);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    setBehaviour(b: Behaviour) {
      behaviour = b;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Writes one outbox row the way the order service does (status pending, due now). */
export function enqueue(
  sqlite: import('better-sqlite3').Database,
  partnerId: string,
  options: { type?: string; orderId?: string; data?: unknown; at?: number } = {},
): string {
  const id = `msg_${randomBytes(12).toString('base64url')}`;
  const at = options.at ?? Date.now();
  const type = options.type ?? 'production.requested';
  const orderId = options.orderId ?? `ord_${randomBytes(6).toString('hex')}`;
  const payload = JSON.stringify({
    type,
    timestamp: new Date(at).toISOString(),
    data: options.data ?? { orderId },
  });
  outboxWriter(sqlite).run({
    id,
    partnerId,
    eventType: type,
    orderId,
    payload,
    nextAttemptAt: at,
    createdAt: at,
  });
  return id;
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One JSON request on an undici pool against the real server: status, headers and body text. */
export async function poolRequest(
  pool: Pool,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const res = await pool.request({
    method: method as 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body ? { body } : {}),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text };
}
