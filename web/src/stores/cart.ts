import { createStore, produce } from 'solid-js/store';
import { api, type Order, type OrderLineInput, type ShipTo } from '../api';
import type { Selection } from '../engine';
import { newIdempotencyKey } from '../format';
import { storage } from './storage';

export interface CartLine {
  /** Local id of the line in the cart. */
  key: string;
  productId: string;
  productName?: string;
  selection: Selection;
  specCode?: string;
  specId?: string;
  specName?: string;
  quantity: number;
}

interface CartState {
  lines: CartLine[];
  shipTo: ShipTo;
  /** The key of the current checkout attempt and the request body it was made for. */
  attempt?: { key: string; body: string };
  placing: boolean;
}

const CART = 'tl.cart';
const SHIP = 'tl.shipTo';
const ATTEMPT = 'tl.checkoutAttempt';
const emptyShipTo: ShipTo = {
  name: '',
  line1: '',
  line2: '',
  city: '',
  region: '',
  postalCode: '',
  country: '',
};

const [state, setState] = createStore<CartState>({
  lines: storage.get<CartLine[]>(CART, []),
  shipTo: { ...emptyShipTo, ...storage.get<Partial<ShipTo>>(SHIP, {}) },
  attempt: storage.get<CartState['attempt']>(ATTEMPT, undefined),
  placing: false,
});

const persist = () => {
  storage.set(CART, state.lines);
  storage.set(SHIP, state.shipTo);
  storage.set(ATTEMPT, state.attempt);
};

let inFlight: Promise<Order> | undefined;

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
      return await api.placeOrder(body, a.key);
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

export const cart = {
  state,
  add(line: Omit<CartLine, 'key' | 'quantity'> & { quantity?: number }) {
    const key = `l${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    setState('lines', (ls) => [...ls, { quantity: 1, ...line, key }]);
    persist();
    return key;
  },
  setQuantity(key: string, quantity: number) {
    const q = Math.max(1, Math.min(99, Math.floor(quantity) || 1));
    setState('lines', (l) => l.key === key, 'quantity', q);
    persist();
  },
  remove(key: string) {
    setState('lines', (ls) => ls.filter((l) => l.key !== key));
    persist();
  },
  clear() {
    setState(
      produce((s) => {
        s.lines = [];
        s.attempt = undefined;
      }),
    );
    persist();
  },
  setShipTo(field: keyof ShipTo, value: string) {
    setState('shipTo', field, value);
    persist();
  },
  /** Places the order for the whole cart; concurrent calls share one request. */
  place(): Promise<Order> {
    if (inFlight) return inFlight;
    setState('placing', true);
    const body = orderBody(state.lines, state.shipTo);
    inFlight = placeWithKey(body, {
      current: state.attempt,
      save: (a) => {
        setState('attempt', a);
        persist();
      },
    })
      .then((order) => {
        cart.clear();
        return order;
      })
      .finally(() => {
        inFlight = undefined;
        setState('placing', false);
      });
    return inFlight;
  },
};
