import { createStore, reconcile } from 'solid-js/store';
import { ApiError, type Order, type ReorderDraft, request } from '../api';
import { accountApi } from '../api-account';
import { placeWithKey } from './place-order';
import { session } from './session';
import { storage } from './storage';

interface OrdersState {
  list: Order[];
  loaded: boolean;
  error?: string;
}

const [state, setState] = createStore<OrdersState>({ list: [], loaded: false });
const reorders = new Map<string, Promise<Order>>();
const ATTEMPTS = 'tl.orderAgainAttempts';

export const FINAL_STATUSES = new Set(['delivered', 'cancelled', 'rejected']);

export const ordersStore = {
  state,
  async load(): Promise<void> {
    try {
      const list = await accountApi.orders();
      list.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
      setState('list', reconcile(list, { key: 'id', merge: true }));
      setState({ loaded: true, error: undefined });
    } catch (e) {
      setState({ loaded: true, error: e instanceof ApiError ? e.readable : (e as Error).message });
    }
  },
  byId: (id: string) => state.list.find((o) => o.id === id),
  async loadOne(id: string): Promise<Order> {
    const order = await accountApi.order(id);
    const i = state.list.findIndex((o) => o.id === id);
    if (i >= 0) setState('list', i, reconcile(order, { merge: true }));
    else setState('list', (l) => [order, ...l]);
    return order;
  },
  remember(order: Order) {
    setState('list', (l) => [order, ...l.filter((o) => o.id !== order.id)]);
  },
  async cancel(id: string): Promise<Order> {
    const order = await accountApi.cancelOrder(id);
    ordersStore.remember(order);
    return order;
  },
  /** A past order re-checked against today's catalog; writes nothing (decision 014). */
  draft: (id: string) => request<ReorderDraft>('POST', `/api/orders/${encodeURIComponent(id)}/reorder`),
  /**
   * Places a draft's order request. A second click while the first is in flight gets the same
   * promise, and a retry of the same body reuses its Idempotency-Key (decision 032).
   */
  orderAgain(id: string, draft: ReorderDraft): Promise<Order> {
    const running = reorders.get(id);
    if (running) return running;
    const { lines, shipTo } = draft.orderRequest;
    const attempts = storage.get<Record<string, { key: string; body: string } | undefined>>(ATTEMPTS, {});
    const p = placeWithKey(
      { lines, shipTo: shipTo! },
      {
        current: attempts[id],
        save: (a) => storage.set(ATTEMPTS, { ...storage.get(ATTEMPTS, {}), [id]: a }),
      },
    )
      .then((order) => {
        storage.set(ATTEMPTS, { ...storage.get(ATTEMPTS, {}), [id]: undefined });
        ordersStore.remember(order);
        return order;
      })
      .finally(() => reorders.delete(id));
    reorders.set(id, p);
    return p;
  },
  reset() {
    setState({ list: [], loaded: false, error: undefined });
  },
};

// Another account's orders are not shown, even for the moment before the next list arrives.
session.onForget(() => ordersStore.reset());
