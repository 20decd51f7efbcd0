import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { serve } from '@hono/node-server';
import { type Catalog, CatalogError } from '../catalog/index';
import { loadCatalogFromDisk } from './catalog-files';
import { catalogSummary } from './catalog-summary';
import { checkCatalogVersions } from './catalog-versions';
import { createDeps } from './deps';
import { type Env, EnvError, loadEnv } from './env';
import { createApp } from './http/app';
import { answerClientError } from './http/client-error';
import { purgeDeadSessions } from './services/customers/sessions';
import { ensureSiteBuilt, SITE_DIR } from './site-build';
import { startWebhookServices } from './webhooks/boot';
import { seedPartners } from './webhooks/partners';

// `npm start`: settings, catalog, database (migrated), partners seeded, then the HTTP server.
function boot(): { env: Env; catalog: Catalog } {
  try {
    const env = loadEnv();
    const catalog = loadCatalogFromDisk(env.CATALOG_DIR);
    return { env, catalog };
  } catch (e) {
    if (e instanceof CatalogError || e instanceof EnvError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}

const { env, catalog } = boot();

const FILE_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOSPC', 'EISDIR']);

/** The database, opened and migrated; a file that cannot be opened or written is one readable line. */
function openStore() {
  try {
    return createDeps({ env, catalog });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_') || FILE_ERRORS.has(code))) {
      console.error(
        `Cannot use the database at ${env.DATABASE_PATH} (${code}: ${(e as Error).message}). ` +
          'Check that the file and its folder exist or can be created and are writable by this user, ' +
          'or set DATABASE_PATH to another file.',
      );
      process.exit(1);
    }
    throw e;
  }
}
for (const line of catalogSummary(catalog)) console.log(line);

const deps = openStore();
// A product changed under a version already served is refused like any catalog problem.
const changed = checkCatalogVersions(deps.sqlite, catalog, deps.now().getTime());
if (changed.length) {
  console.error(new CatalogError(changed).message);
  deps.sqlite.close();
  process.exit(1);
}
seedPartners(deps.db, catalog, deps.now);
purgeDeadSessions(deps);
await ensureSiteBuilt(env.SITE_BUILD);
let webhooks: ReturnType<typeof startWebhookServices> | undefined;
let stopping = false;
// Once shutdown began, a request arriving on a kept-alive connection is refused with a 503 that
// closes the connection (the client retries elsewhere or after the restart; orders carry their
// Idempotency-Key), instead of being taken on while the process is about to exit. The app answers
// it, so it carries the security headers like every other response.
const app = createApp(deps, { staticDir: SITE_DIR, stopping: () => stopping });

const server = serve(
  {
    fetch: app.fetch,
    port: env.PORT,
    hostname: env.HOST,
    // A deadline for receiving each request, checked every second: a client that dribbles its
    // headers or body a byte at a time (slowloris) gets 408 instead of holding a socket for minutes.
    serverOptions: {
      requestTimeout: env.REQUEST_TIMEOUT * 1000,
      headersTimeout: Math.min(env.REQUEST_TIMEOUT, 10) * 1000,
      connectionsCheckingInterval: 1000,
    },
  },
  (info) => {
    const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
    console.log(`Tailorloop listening on http://${host}:${info.port} (database ${env.DATABASE_PATH})`);
    if (env.ADMIN_TOKEN_GENERATED) console.log(`ADMIN_TOKEN (generated for this run): ${env.ADMIN_TOKEN}`);
    for (const w of env.warnings) console.warn(`Warning: ${w}`);
    webhooks = startWebhookServices(deps, info);
  },
);
// A request Node cannot read (headers too large, too slow, not HTTP) is answered with a problem
// document like every other 4xx, not Node's bare status line.
server.on('clientError', answerClientError);
// A port that is taken or not allowed is one readable line, not a stack trace.
server.once('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') {
    console.error(
      `Cannot listen on ${env.HOST}:${env.PORT} (${e.code}: ${e.message}). ` +
        'Stop what uses that port, or set PORT (and HOST) to another.',
    );
    deps.sqlite.close();
    process.exit(1);
  }
  throw e;
});
// Open connections, tracked per connection (not per request) so shutdown can find requests in flight.
const sockets = new Set<Socket>();
server.on('connection', (socket: Socket) => {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
});

/**
 * Graceful stop: no new connections; requests in flight are answered (an order's commit is
 * awaited) and their connection closed after the answer; a request arriving meanwhile on a
 * kept-alive connection gets a 503 that closes the connection. Then the dispatcher hands back its
 * claims and the database is closed. (Node's `server.close()` keeps serving kept-alive
 * connections, so under load it never finished and the 3 s fallback cut off requests in flight;
 * it also destroys idle connections at once, resetting requests already sent on them but not yet
 * read.)
 */
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  for (const socket of sockets) {
    // The response of the request this connection is serving (if any) says `Connection: close`.
    const res = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (res && !res.headersSent) res.shouldKeepAlive = false;
  }
  // Stop listening; the callback runs once every connection has closed.
  NetServer.prototype.close.call(server, async () => {
    await (await webhooks)?.stop();
    deps.sqlite.close();
    process.exit(0);
  });
  // A connection idle since before the signal is closed after a grace period, time enough for a
  // request already on its way to be read (and refused with the 503 above) instead of reset.
  setInterval(() => (server as Server).closeIdleConnections(), IDLE_GRACE_MS).unref();
  setTimeout(() => {
    // (A delivery still in flight keeps its claim; it goes out again once the lease lapses.)
    console.error(`${signal}: did not stop within 3 s; exiting`);
    process.exit(0);
  }, 3000).unref();
}
const IDLE_GRACE_MS = 300;
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
