import { createHash } from 'node:crypto';
import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';
import { orderStatements } from './statements';
import { placedOrderBody } from './view';

/** Completed keys are replayable for at least this long (CONTRACT: ≥ 24 h); older ones are purged. */
export const IDEMPOTENCY_TTL_MS = 48 * 3600_000;

/**
 * Keys whose first request is still being processed. In memory on purpose: one process owns
 * the database, and an in-flight marker must not outlive a crash (the request it marks died
 * with the process, and its transaction never committed).
 */
const inFlight = new WeakMap<AppDeps['sqlite'], Set<string>>();

export function checkIdempotencyKey(raw: string | undefined): string {
  if (raw === undefined || raw.length === 0)
    throw new DomainError('idempotency_key_missing', 'Send an Idempotency-Key header (1-255 characters)');
  if (raw.length > 255)
    throw new DomainError('bad_request', 'The Idempotency-Key header is longer than 255 characters');
  return raw;
}

/** Same JSON means same request: keys are sorted so member order and whitespace do not matter. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64url');
}

/** Far deeper than any order (body → lines → line → selection); deeper input would overflow the stack. */
const MAX_DEPTH = 32;

function canonicalJson(v: unknown, depth = 0): string {
  if (depth > MAX_DEPTH && v && typeof v === 'object')
    throw new DomainError('validation_failed', `The body nests deeper than ${MAX_DEPTH} levels`, {
      errors: [{ path: '(body)', code: 'too_deep', message: `nested more than ${MAX_DEPTH} levels` }],
    });
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x, depth + 1)).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k], depth + 1)}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** A response to send (again); `orderId` names the order it created, for `Location`. */
export type Stored = { status: number; body: string; orderId?: string };

/**
 * Runs `work` at most once per (customer, key): a finished request with the same body is
 * replayed, a different body is 422, a request still in flight is 409. A request that fails
 * with a client error stores nothing, so the key can be retried with a corrected body.
 */
export async function withIdempotency(
  deps: AppDeps,
  customerId: string,
  key: string,
  hash: string,
  work: () => Promise<Stored>,
): Promise<Stored & { replayed: boolean }> {
  let flying = inFlight.get(deps.sqlite);
  if (!flying) inFlight.set(deps.sqlite, (flying = new Set()));
  const slot = `${customerId}\u0000${key}`;
  if (flying.has(slot))
    throw new DomainError(
      'idempotency_in_flight',
      'The first request with this Idempotency-Key is still running; retry shortly',
      {
        headers: { 'retry-after': '1' },
      },
    );
  const stored = orderStatements(deps.sqlite).findIdempotency.get(customerId, key);
  if (stored && stored.created_at >= deps.now().getTime() - IDEMPOTENCY_TTL_MS) {
    if (stored.request_hash !== hash)
      throw new DomainError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different order',
        {
          errors: [
            { path: 'Idempotency-Key', code: 'reused', message: 'already used with another request body' },
          ],
        },
      );
    const body =
      stored.response_body ?? (stored.order_id ? placedOrderBody(deps, stored.order_id) : undefined);
    if (body !== undefined)
      return {
        status: stored.response_status,
        body,
        ...(stored.order_id ? { orderId: stored.order_id } : {}),
        replayed: true,
      };
    // A key whose order no longer exists (never happens: orders are not deleted) runs again.
  }
  flying.add(slot);
  try {
    return { ...(await work()), replayed: false };
  } finally {
    flying.delete(slot);
  }
}
