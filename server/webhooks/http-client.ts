import type { IncomingHttpHeaders } from 'node:http';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { type Resolver, resolveSafeAddress } from './ssrf';

export interface DeliveryAgentOptions {
  /** Allow loopback/private targets (development, tests, the sandbox). */
  allowPrivate: boolean;
  /** Connections per partner origin (undici keeps one pool per origin). */
  connections: number;
  connectTimeoutMs?: number;
  resolve?: Resolver;
  /** `host:port` pairs exempt from the private-address check (the built-in sandbox partners). */
  exemptHosts?: ReadonlySet<string>;
}

/**
 * An undici Agent whose every new connection resolves the host itself, refuses non-public
 * addresses, and dials the checked literal address. Checking here, not only when the URL was
 * saved, is what defeats DNS rebinding: the name may resolve differently by now. TLS still gets
 * the original host name for SNI and certificate checks (undici derives it from `host`).
 */
export function createDeliveryAgent(options: DeliveryAgentOptions): Agent {
  const base = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 });
  const connect: buildConnector.connector = (opts, callback) => {
    const exempt = options.exemptHosts?.has(`${opts.hostname}:${opts.port}`) ?? false;
    resolveSafeAddress(opts.hostname, {
      allowPrivate: options.allowPrivate || exempt,
      resolve: options.resolve,
    }).then(
      ({ address }) => base({ ...opts, hostname: address }, callback),
      (err: Error) => callback(err, null),
    );
  };
  return new Agent({
    connect,
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  });
}

export interface SendResult {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseSnippet: string | null;
  /** Seconds from a `Retry-After` header (delta-seconds or HTTP date), when present and sane. */
  retryAfterSec: number | null;
}

const SNIPPET_BYTES = 512;
const MAX_DRAIN_BYTES = 64 * 1024;

/**
 * POSTs one signed webhook. Never follows redirects (a plain undici dispatch does not), gives the
 * whole exchange `timeoutMs` including reading the body, and never throws: failures come back
 * as `error` for the delivery log.
 */
export function sendWebhook(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body: string | Buffer,
  timeoutMs: number,
  nowMs: () => number = Date.now,
): Promise<SendResult> {
  return new Promise((resolve) => startWebhook(agent, url, headers, body, timeoutMs, resolve, nowMs));
}

/**
 * `sendWebhook` for the dispatcher's hot path: `done` is called exactly once with the result.
 * The attempt is one handler object on undici's dispatch API: no promise, no response stream,
 * no abort signal. Measured against `agent.request()` + `body.dump()` on the same pool, the
 * request/response stream machinery was ~5 µs of CPU per request (docs/decisions/027).
 */
export function startWebhook(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body: string | Buffer,
  timeoutMs: number,
  done: (result: SendResult) => void,
  nowMs: () => number = Date.now,
): void {
  const attempt = new Attempt(performance.now() + timeoutMs, timeoutMs, done, nowMs);
  try {
    const { origin, path } = splitUrl(url);
    agent.dispatch(
      { origin, path, method: 'POST', headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
      attempt,
    );
  } catch (e) {
    attempt.onResponseError(null, e as Error);
  } finally {
    attempt.dispatched = true;
  }
}

/**
 * One attempt as an undici dispatch handler. Its deadline is checked by one shared sweep every
 * SWEEP_MS instead of a timer per attempt (setTimeout's argument checks were ~4 µs per delivery in
 * the throughput benchmark's profile): an attempt is aborted at most SWEEP_MS after its deadline,
 * through the controller undici hands the handler when the request starts.
 */
class Attempt implements Dispatcher.DispatchHandler {
  private readonly started = performance.now();
  private controller: Dispatcher.DispatchController | null = null;
  private statusCode: number | null = null;
  private retryAfter: string | string[] | undefined = undefined;
  private snippet = '';
  private seen = 0;
  /** The deadline passed: the abort that follows is a timeout. */
  private timedOut = false;
  /** Enough of the body was read (MAX_DRAIN_BYTES): the abort that follows ends a good attempt. */
  private drained = false;
  private finished = false;
  /** Set once `dispatch` returned: a result before that (a bad URL, a closed agent) is delivered later, never re-entrantly. */
  dispatched = false;

  constructor(
    readonly deadline: number,
    private readonly timeoutMs: number,
    private readonly done: (result: SendResult) => void,
    private readonly nowMs: () => number,
  ) {
    live.add(this);
    sweeper ??= setInterval(sweep, SWEEP_MS).unref();
  }

  /** The deadline passed (called by the sweep). */
  expire(): void {
    live.delete(this);
    this.timedOut = true;
    if (this.controller) this.controller.abort(new Error('deadline passed'));
    // Still waiting for a connection (name lookup, connect, a full pool): undici hands over the
    // controller only once the request is being written, so answer the timeout now; the request
    // is aborted when it starts (onRequestStart).
    else this.onResponseError(null, new Error('deadline passed'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Expired while waiting for a connection: abort before anything is sent.
    if (this.timedOut) controller.abort(new Error('deadline passed'));
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // 1xx interim responses are followed by the real one.
    if (statusCode < 200) return;
    this.statusCode = statusCode;
    this.retryAfter = headers['retry-after'];
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.seen < SNIPPET_BYTES) this.snippet += chunk.toString('utf8', 0, SNIPPET_BYTES - this.seen);
    this.seen += chunk.length;
    if (this.seen >= MAX_DRAIN_BYTES && !this.drained) {
      // Enough read: close the connection rather than drain an endless body.
      this.drained = true;
      controller.abort(new Error('response body too long; rest not read'));
    }
  }

  onResponseEnd(): void {
    this.succeed();
  }

  onResponseError(_c: Dispatcher.DispatchController | null, error: Error): void {
    if (this.drained && this.statusCode !== null) {
      this.succeed();
      return;
    }
    this.finish({
      statusCode: null,
      durationMs: Math.round(performance.now() - this.started),
      error: describeError(error, this.timedOut, this.timeoutMs),
      responseSnippet: null,
      retryAfterSec: null,
    });
  }

  private succeed(): void {
    this.finish({
      statusCode: this.statusCode,
      durationMs: Math.round(performance.now() - this.started),
      error: null,
      responseSnippet: this.snippet || null,
      retryAfterSec: parseRetryAfter(this.retryAfter, this.nowMs()),
    });
  }

  private finish(result: SendResult): void {
    if (this.finished) return;
    this.finished = true;
    live.delete(this);
    if (this.dispatched) this.done(result);
    else queueMicrotask(() => this.done(result));
  }
}

const SWEEP_MS = 20;
const live = new Set<Attempt>();
let sweeper: ReturnType<typeof setInterval> | null = null;

function sweep(): void {
  if (live.size === 0) {
    clearInterval(sweeper!);
    sweeper = null;
    return;
  }
  const now = performance.now();
  for (const a of live) if (a.deadline <= now) a.expire();
}

const splitCache = new Map<string, { origin: string; path: string }>();

/** Origin and path of a partner URL, parsed once (the dispatcher sends to few URLs, many times). */
function splitUrl(url: string): { origin: string; path: string } {
  let parts = splitCache.get(url);
  if (!parts) {
    const u = new URL(url);
    parts = { origin: u.origin, path: `${u.pathname}${u.search}` };
    if (splitCache.size > 1000) splitCache.clear();
    splitCache.set(url, parts);
  }
  return parts;
}

function describeError(e: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timeout: no complete response within ${timeoutMs} ms`;
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code;
  const message = err.message ?? String(e);
  const cause = err.cause?.message && err.cause.message !== message ? ` (${err.cause.message})` : '';
  return `${code ? `${code}: ` : ''}${message}${cause}`.slice(0, 500);
}

/** `Retry-After` as seconds from now: delta-seconds or an HTTP date. Absurd values are ignored. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  const trimmed = v.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}
