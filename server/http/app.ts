import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps } from '../deps';
import { DomainError, PROBLEMS, type ProblemCode, problem, toProblem } from '../errors';
import { webhookRoutes } from '../webhooks/routes';
import { requireAdmin } from './admin-auth';
import { allowedMethodsOf } from './allowed-methods';
import { originCheck } from './origin-check';
import { problemResponse } from './problem';
import { authRoutes } from './routes/auth';
import { catalogRoutes } from './routes/catalog';
import { metaRoutes } from './routes/meta';
import { oneToOneRoutes } from './routes/one-to-one';
import { orderRoutes } from './routes/orders';
import { specRoutes } from './routes/specs';
import { sessionMiddleware } from './session';
import { mountStaticSite } from './static-site';
import type { AppEnv } from './types';

/**
 * The whole HTTP surface as a Hono app: no socket, so tests drive it with `app.request()`.
 * Cross-cutting policy lives here (headers, body limit, cross-site refusal, error mapping);
 * each resource is a thin module mounted with `app.route()`.
 */
export function createApp(
  deps: AppDeps,
  options: {
    staticDir?: string;
    /** True once shutdown began (server/main.ts): every request is then refused with a 503. */
    stopping?: () => boolean;
  } = {},
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
      },
      strictTransportSecurity: deps.env.isProduction ? 'max-age=31536000; includeSubDomains' : false,
      // Browsers without frame-ancestors read this one: say the same ('none' = DENY, not SAMEORIGIN).
      xFrameOptions: 'DENY',
    }),
  );
  const { stopping } = options;
  if (stopping)
    app.use('*', (_c, next) => {
      // A request still arriving on a kept-alive connection once shutdown began is refused with a
      // 503 that closes the connection; inside the app (after the headers above) so it carries them.
      if (stopping())
        throw new DomainError('unavailable', 'The server is shutting down; retry in a moment', {
          headers: { 'retry-after': '1', connection: 'close' },
        });
      return next();
    });
  const tooLarge = async (c: Context): Promise<never> => {
    // Read the rest of the upload before answering: a server that answers early and closes
    // leaves the client mid-write with a reset instead of a readable 413.
    await drainBody(c.req.raw.body, DRAIN_LIMIT);
    throw new DomainError('payload_too_large', `The body is larger than ${deps.env.BODY_LIMIT} bytes`, {
      extra: { limit: deps.env.BODY_LIMIT },
    });
  };
  const limitStream = bodyLimit({ maxSize: deps.env.BODY_LIMIT, onError: tooLarge });
  app.use('*', (c, next) => {
    // A body with a Content-Length is checked by its header alone (Node's parser never delivers
    // more than it announces). hono's bodyLimit reads `c.req.raw.body` first, which makes
    // @hono/node-server build a whole WHATWG Request and stream around the socket (≈ 10 % of an
    // order's CPU, docs/decisions/044-intake-write-less.md); routes then read the body through the
    // adapter's direct path instead. Chunked uploads still go through hono's counting reader.
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const headers = c.req.raw.headers;
    const length = headers.get('content-length');
    if (length !== null && !headers.has('transfer-encoding'))
      return Number.parseInt(length, 10) > deps.env.BODY_LIMIT ? tooLarge(c) : next();
    return limitStream(c, next);
  });
  app.use('/api/*', originCheck(deps));

  app.use('/api/*', sessionMiddleware(deps));
  // Every operator path, also one that does not exist, asks for the token first: without it a
  // 404 against a 401 would tell a stranger which admin routes there are. The one check for all of
  // them: the route modules under /api/admin/ do not repeat it.
  app.use('/api/admin/*', requireAdmin(deps));

  app.route('/', metaRoutes(deps));
  app.route('/', catalogRoutes(deps));
  app.route('/', authRoutes(deps));
  app.route('/', specRoutes(deps));
  app.route('/', orderRoutes(deps));
  app.route('/', webhookRoutes(deps));
  app.route('/', oneToOneRoutes(deps));
  if (options.staticDir) mountStaticSite(app, options.staticDir);

  const allowedMethods = allowedMethodsOf(app);
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    // A path we serve, asked with a method it does not take: 405 naming the ones it does.
    const methods = allowedMethods(path);
    if (methods.length > 0) {
      const allow = [...methods, 'OPTIONS'].join(', ');
      if (c.req.method === 'OPTIONS') return new Response(null, { status: 204, headers: { allow } });
      return problemResponse(
        problem('method_not_allowed', `${c.req.method} is not served at ${path}; use ${methods.join(', ')}`),
        { allow },
      );
    }
    return problemResponse(problem('not_found', `Nothing at ${c.req.method} ${path}`));
  });
  app.onError((err, c) => {
    if (err instanceof DomainError) return problemResponse(toProblem(err), err.options.headers);
    if (err instanceof HTTPException) {
      const code = codeForStatus(err.status);
      return problemResponse(problem(code, err.message || undefined));
    }
    console.error(`${c.req.method} ${c.req.path} failed:`, err);
    if (storageUnavailable(err))
      return problemResponse(
        problem(
          'unavailable',
          'The database cannot take writes right now (storage full or failing); retry shortly',
        ),
        { 'retry-after': '5' },
      );
    return problemResponse(problem('internal', 'Something went wrong on our side; it has been logged'));
  });
  return app;
}

function codeForStatus(status: number): ProblemCode {
  for (const [code, p] of Object.entries(PROBLEMS)) if (p.status === status) return code as ProblemCode;
  return status >= 500 ? 'internal' : 'bad_request';
}

/**
 * SQLite errors that say the storage, not the request, is at fault: disk full, I/O error,
 * read-only file, lock not obtained within busy_timeout. Nothing was written (the transaction
 * rolled back), and the same request can succeed later: 503 with Retry-After, not a 500.
 */
function storageUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || (err as Error).name !== 'SqliteError') return false;
  return (
    code === 'SQLITE_FULL' ||
    code === 'SQLITE_BUSY' ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN')
  );
}

/** Bodies up to this size are read to the end before a 413 is sent; larger ones are cut off. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

async function drainBody(body: ReadableStream<Uint8Array> | null, limit: number): Promise<void> {
  if (!body || body.locked) return;
  const reader = body.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      if (read > limit) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The client went away: nothing left to answer.
  }
}
