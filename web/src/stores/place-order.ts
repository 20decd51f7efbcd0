import type { Order, OrderLineInput, ShipTo } from '../api';
import { accountApi } from '../api-account';
import type { CartLine } from './cart';

/** A random key for one checkout attempt (kept across retries of that attempt). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return `chk_${crypto.randomUUID()}`;
  return `chk_${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
}

export function orderBody(
  lines: readonly CartLine[],
  shipTo: ShipTo,
): { lines: OrderLineInput[]; shipTo: ShipTo } {
  const clean: ShipTo = {
    name: shipTo.name.trim(),
    line1: shipTo.line1.trim(),
    city: shipTo.city.trim(),
    postalCode: shipTo.postalCode.trim(),
    country: shipTo.country.trim().toUpperCase(),
  };
  if (shipTo.line2?.trim()) clean.line2 = shipTo.line2.trim();
  if (shipTo.region?.trim()) clean.region = shipTo.region.trim();
  return {
    lines: lines.map((l) =>
      l.specId
        ? { specId: l.specId, quantity: l.quantity }
        : { productId: l.productId, selection: { ...l.selection }, quantity: l.quantity },
    ),
    shipTo: clean,
  };
}

/**
 * Sends one order with an Idempotency-Key that belongs to this exact request body: a double
 * click joins the request in flight, a retry after a network error reuses the key (the server
 * answers with the same order), and only a changed cart or address gets a new key.
 */
export async function placeWithKey(
  body: { lines: OrderLineInput[]; shipTo: ShipTo },
  attempt: {
    current?: { key: string; body: string };
    save: (a: { key: string; body: string } | undefined) => void;
  },
): Promise<Order> {
  const text = JSON.stringify(body);
  let a = attempt.current;
  if (!a || a.body !== text) {
    a = { key: newIdempotencyKey(), body: text };
    attempt.save(a);
  }
  for (let tries = 0; ; tries++) {
    try {
      return await accountApi.placeOrder(body, a.key);
    } catch (e) {
      // 409: the first request with this key is still being processed; wait and ask again.
      if (tries < 5 && e && typeof e === 'object' && 'status' in e && e.status === 409) {
        await new Promise((r) => setTimeout(r, 300 * (tries + 1)));
        continue;
      }
      throw e;
    }
  }
}
