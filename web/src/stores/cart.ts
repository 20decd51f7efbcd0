import { createSignal } from 'solid-js';
import type { Order, OrderLineInput, ShipTo } from '../api';
import type { Selection } from '../engine';
import { session } from './session';
import { storage } from './storage';

type PlaceOrder = typeof import('./place-order');

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
  attempt?: Attempt;
  placing: boolean;
}

interface Attempt {
  key: string;
  body: string;
  /** The cart lines (key, quantity) the attempt orders: only these leave the cart with it. */
  lines?: Array<[string, number]>;
  /** Sent and not yet answered: the page was left or reloaded while placing. */
  pending?: boolean;
  /** When it was last sent (ms): only a recent one is sent again on its own (RESUME_WITHIN_MS). */
  sentAt?: number;
}

/**
 * How long after it was sent a pending attempt is sent again by itself on a later visit: well
 * within the 24 h the shop promises to remember an Idempotency-Key. Later, the key may be gone
 * and the same request would be a second order (the first may well have been placed); an old
 * attempt stays in the cart instead, for the shopper to check My orders and place it themselves.
 */
const RESUME_WITHIN_MS = 12 * 3600_000;

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
// The order an attempt placed, said on every page until seen: the shopper may have left checkout.
const [placed, setPlaced] = createSignal<Order>();
let attempt: Attempt | undefined = storage.get<Attempt | undefined>(ATTEMPT, undefined);

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

/**
 * Sends an attempt, marked pending in storage until the shop answers: a reload meanwhile sends
 * it again with the same key (resume), and the shop answers with the order it took, or takes it.
 * What was ordered leaves the cart even if the shopper has left checkout; a line added or raised
 * meanwhile stays.
 */
function send(
  body: (po: PlaceOrder) => { lines: OrderLineInput[]; shipTo: ShipTo },
  ordered?: Array<[string, number]>,
) {
  setPlacing(true);
  // The placing code loads with the first order, not with every page that shows the cart.
  inFlight = import('./place-order')
    .then((po) => {
      const b = body(po);
      const mark = (a: Attempt | undefined) => {
        attempt = a && { ...a, lines: ordered, pending: true, sentAt: Date.now() };
        persist();
      };
      if (attempt?.body === JSON.stringify(b)) mark(attempt);
      return po.placeWithKey(b, { current: attempt, save: mark });
    })
    .then(
      (order) => {
        const done = new Map(attempt?.lines ?? []);
        setLines((ls) =>
          attempt?.lines
            ? ls.flatMap((l) => {
                const left = l.quantity - (done.get(l.key) ?? 0);
                return left > 0 ? [{ ...l, quantity: left }] : [];
              })
            : [],
        );
        attempt = undefined;
        persist();
        setPlaced(order);
        return order;
      },
      (e) => {
        // Answered (refused, or not reached): the shopper is told, and sends it again if they will.
        if (attempt) attempt = { ...attempt, pending: false };
        persist();
        throw e;
      },
    )
    .finally(() => {
      inFlight = undefined;
      setPlacing(false);
    });
  return inFlight;
}

const sameChoices = (a: Selection, b: Selection) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

export const cart = {
  state,
  /**
   * Adds a line, or more of the same: a configuration already in the cart (same product, spec
   * and choices) gets its quantity raised, so the cart says "2" once instead of listing it twice.
   */
  add(line: Omit<CartLine, 'key' | 'quantity'> & { quantity?: number }) {
    const same = lines().find(
      (l) =>
        l.productId === line.productId &&
        l.specId === line.specId &&
        sameChoices(l.selection, line.selection),
    );
    if (same) {
      cart.setQuantity(same.key, same.quantity + (line.quantity ?? 1));
      return same.key;
    }
    const key = `l${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    setLines((ls) => [...ls, { quantity: 1, ...line, key }]);
    persist();
    return key;
  },
  /** Puts another configuration in a line's place (fixed in the configurator), keeping its quantity. */
  replace(key: string, line: Omit<CartLine, 'key' | 'quantity'>) {
    setLines((ls) => ls.map((l) => (l.key === key ? { ...line, key, quantity: l.quantity } : l)));
    persist();
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
    const ordered = lines().map((l): [string, number] => [l.key, l.quantity]);
    return send((po) => po.orderBody(state.lines, state.shipTo), ordered);
  },
  /** An attempt left unanswered by a reload (or a closed tab) is sent again with its key. */
  resume(): void {
    const a = attempt;
    if (!a?.pending || inFlight) return;
    const age = Date.now() - (a.sentAt ?? 0);
    if (age >= 0 && age < RESUME_WITHIN_MS) {
      void send(() => JSON.parse(a.body), a.lines).catch(() => undefined);
      return;
    }
    attempt = { ...a, pending: false };
    persist();
  },
  /** The order last placed, until `seen()`. */
  placed,
  seen() {
    setPlaced(undefined);
  },
};

// The address typed at checkout and the saved specs in the cart belong to who was signed in; at
// sign-out the whole cart goes with them (decided for a shared browser: nothing of theirs stays).
session.onForget((signedOut) => {
  setLines((ls) => (signedOut ? [] : ls.filter((l) => !l.specId)));
  setShipToSignal({ ...emptyShipTo });
  attempt = undefined;
  // "Your order is placed", with its link, is theirs too.
  setPlaced(undefined);
  persist();
});
