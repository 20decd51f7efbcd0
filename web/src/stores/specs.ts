import { createStore, reconcile } from 'solid-js/store';
import { ApiError, type Measurements, type Order, type ShipTo, type Spec } from '../api';
import { accountApi } from '../api-account';
import type { Selection } from '../engine';
import { placeWithKey } from './place-order';
import { session } from './session';
import { storage } from './storage';

interface SpecsState {
  list: Spec[];
  loaded: boolean;
  error?: string;
}

const [state, setState] = createStore<SpecsState>({ list: [], loaded: false });
const reorders = new Map<string, Promise<Order>>();
const attempts: Record<string, { key: string; body: string } | undefined> = storage.get(
  'tl.reorderAttempts',
  {},
);

export const specsStore = {
  state,
  async load(): Promise<void> {
    try {
      const list = await accountApi.specs();
      setState('list', reconcile(list, { key: 'id' }));
      setState({ loaded: true, error: undefined });
    } catch (e) {
      setState({ loaded: true, error: e instanceof ApiError ? e.readable : (e as Error).message });
      throw e;
    }
  },
  async create(input: {
    name: string;
    productId: string;
    selection: Selection;
    measurements?: Measurements;
  }) {
    const spec = await accountApi.createSpec(input);
    setState('list', (l) => [spec, ...l.filter((s) => s.id !== spec.id)]);
    return spec;
  },
  /** Optimistic: the new name shows at once and is put back if the server refuses. */
  async rename(id: string, name: string): Promise<void> {
    const before = state.list.find((s) => s.id === id);
    if (!before) return;
    const old = before.name;
    setState('list', (s) => s.id === id, 'name', name);
    try {
      const saved = await accountApi.updateSpec(id, { name });
      setState('list', (s) => s.id === id, reconcile(saved));
    } catch (e) {
      setState('list', (s) => s.id === id, 'name', old);
      throw e;
    }
  },
  async update(id: string, patch: { selection?: Selection; measurements?: Measurements; name?: string }) {
    const saved = await accountApi.updateSpec(id, patch);
    setState('list', (s) => s.id === id, reconcile(saved));
    return saved;
  },
  /** Optimistic delete, restored at its place on failure. */
  async remove(id: string): Promise<void> {
    const index = state.list.findIndex((s) => s.id === id);
    if (index < 0) return;
    const removed = state.list[index]!;
    setState('list', (l) => l.filter((s) => s.id !== id));
    try {
      await accountApi.deleteSpec(id);
    } catch (e) {
      setState('list', (l) => [...l.slice(0, index), removed, ...l.slice(index)]);
      throw e;
    }
  },
  /**
   * One-click reorder of a saved spec to an address. A second click while the first is in
   * flight gets the same promise; the key is kept per spec and body until an order comes back.
   */
  reorder(specId: string, shipTo: ShipTo, quantity = 1): Promise<Order> {
    const running = reorders.get(specId);
    if (running) return running;
    const p = placeWithKey(
      { lines: [{ specId, quantity }], shipTo },
      {
        current: attempts[specId],
        save: (a) => {
          attempts[specId] = a;
          storage.set('tl.reorderAttempts', attempts);
        },
      },
    )
      .then((order) => {
        attempts[specId] = undefined;
        storage.set('tl.reorderAttempts', attempts);
        storage.set('tl.lastShipTo', order.shipTo ?? shipTo);
        return order;
      })
      .finally(() => reorders.delete(specId));
    reorders.set(specId, p);
    return p;
  },
  reset() {
    setState({ list: [], loaded: false, error: undefined });
    for (const k of Object.keys(attempts)) delete attempts[k];
  },
};

session.onForget(() => specsStore.reset());

/** The address of the last order placed from this browser (for one-click reorders). */
export function lastShipTo(): ShipTo | undefined {
  return storage.get<ShipTo | undefined>('tl.lastShipTo', undefined);
}
