import { EventEmitter } from 'node:events';
import { Agent, buildConnector } from 'undici';
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
export async function sendWebhook(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  nowMs: () => number = Date.now,
): Promise<SendResult> {
  const started = performance.now();
  const signal = new Deadline(started + timeoutMs);
  try {
    const { origin, path } = splitUrl(url);
    const res = await agent.request({
      origin,
      path,
      method: 'POST',
      headers,
      body,
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    let snippet = '';
    let seen = 0;
    if (res.statusCode === 204 || res.headers['content-length'] === '0') await res.body.dump();
    else
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (seen < SNIPPET_BYTES) snippet += chunk.subarray(0, SNIPPET_BYTES - seen).toString('utf8');
        seen += chunk.length;
        if (seen >= MAX_DRAIN_BYTES) {
          res.body.destroy();
          break;
        }
      }
    return {
      statusCode: res.statusCode,
      durationMs: Math.round(performance.now() - started),
      error: null,
      responseSnippet: snippet || null,
      retryAfterSec: parseRetryAfter(res.headers['retry-after'], nowMs()),
    };
  } catch (e) {
    return {
      statusCode: null,
      durationMs: Math.round(performance.now() - started),
      error: describeError(e, signal.aborted, timeoutMs),
      responseSnippet: null,
      retryAfterSec: null,
    };
  } finally {
    signal.done();
  }
}

/**
 * The abort signal of one attempt, fired when its deadline passes: undici accepts an EventEmitter
 * with `aborted` in place of an AbortSignal, and creating one costs a fraction of an
 * AbortController (whose EventTarget machinery was ~10 µs of CPU per delivery in the throughput
 * benchmark's profile). Deadlines are checked by one shared sweep every SWEEP_MS instead of a
 * timer per attempt (setTimeout's argument checks were another ~4 µs): an attempt is aborted at
 * most SWEEP_MS after its deadline.
 */
class Deadline extends EventEmitter {
  aborted = false;
  constructor(readonly at: number) {
    super();
    live.add(this);
    sweeper ??= setInterval(sweep, SWEEP_MS).unref();
  }
  /** The attempt finished (or failed): stop watching its deadline. */
  done(): void {
    live.delete(this);
  }
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    live.delete(this);
    this.emit('abort');
  }
}

const SWEEP_MS = 20;
const live = new Set<Deadline>();
let sweeper: ReturnType<typeof setInterval> | null = null;

function sweep(): void {
  if (live.size === 0) {
    clearInterval(sweeper!);
    sweeper = null;
    return;
  }
  const now = performance.now();
  for (const d of live) if (d.at <= now) d.abort();
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
