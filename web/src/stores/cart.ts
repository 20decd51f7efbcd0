import { createSignal } from 'solid-js';
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

// Plain signals rather than a store: the cart badge is on every page, and solid-js/store would
// then weigh on the configurator's first load (docs/decisions/034-configurator-js-budget.md).
const [lines, setLines] = createSignal<CartLine[]>(storage.get<CartLine[]>(CART, []));
const [shipTo, setShipToSignal] = createSignal<ShipTo>({
  ...emptyShipTo,
  ...storage.get<Partial<ShipTo>>(SHIP, {}),
});
const [placing, setPlacing] = createSignal(false);
let attempt: CartState['attempt'] = storage.get<CartState['attempt']>(ATTEMPT, undefined);

const state: Readonly<CartState> = {
  get lines() {
    return lines();
  },
  get shipTo() {
    return shipTo();
  },
  get attempt() {
    return attempt;
  },
  get placing() {
    return placing();
  },
};

const persist = () => {
  storage.set(CART, lines());
  storage.set(SHIP, shipTo());
  storage.set(ATTEMPT, attempt);
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
    setLines((ls) => [...ls, { quantity: 1, ...line, key }]);
    persist();
    return key;
  },
  setQuantity(key: string, quantity: number) {
    const q = Math.max(1, Math.min(99, Math.floor(quantity) || 1));
    setLines((ls) => ls.map((l) => (l.key === key ? { ...l, quantity: q } : l)));
    persist();
  },
  remove(key: string) {
    setLines((ls) => ls.filter((l) => l.key !== key));
    persist();
  },
  clear() {
    setLines([]);
    attempt = undefined;
    persist();
  },
  setShipTo(field: keyof ShipTo, value: string) {
    setShipToSignal((s) => ({ ...s, [field]: value }));
    persist();
  },
  /** Places the order for the whole cart; concurrent calls share one request. */
  place(): Promise<Order> {
    if (inFlight) return inFlight;
    setPlacing(true);
    const body = orderBody(state.lines, state.shipTo);
    inFlight = placeWithKey(body, {
      current: attempt,
      save: (a) => {
        attempt = a;
        persist();
      },
    })
      .then((order) => {
        cart.clear();
        return order;
      })
      .finally(() => {
        inFlight = undefined;
        setPlacing(false);
      });
    return inFlight;
  },
};
