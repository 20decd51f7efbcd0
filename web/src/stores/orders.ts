import { createStore, reconcile } from 'solid-js/store';
import { ApiError, api, type Order } from '../api';

interface OrdersState {
  list: Order[];
  loaded: boolean;
  error?: string;
}

const [state, setState] = createStore<OrdersState>({ list: [], loaded: false });

export const FINAL_STATUSES = new Set(['delivered', 'cancelled', 'rejected']);

export const ordersStore = {
  state,
  async load(): Promise<void> {
    try {
      const list = await api.orders();
      list.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
      setState('list', reconcile(list, { key: 'id', merge: true }));
      setState({ loaded: true, error: undefined });
    } catch (e) {
      setState({ loaded: true, error: e instanceof ApiError ? e.readable : (e as Error).message });
    }
  },
  byId: (id: string) => state.list.find((o) => o.id === id),
  async loadOne(id: string): Promise<Order> {
    const order = await api.order(id);
    const i = state.list.findIndex((o) => o.id === id);
    if (i >= 0) setState('list', i, reconcile(order, { merge: true }));
    else setState('list', (l) => [order, ...l]);
    return order;
  },
  remember(order: Order) {
    setState('list', (l) => [order, ...l.filter((o) => o.id !== order.id)]);
  },
  async cancel(id: string): Promise<Order> {
    const order = await api.cancelOrder(id);
    ordersStore.remember(order);
    return order;
  },
  reset() {
    setState({ list: [], loaded: false, error: undefined });
  },
};
