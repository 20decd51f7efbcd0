import { createSignal } from 'solid-js';
import { ApiError, api, type Me } from '../api';

// Who is signed in. `undefined` while the first /api/me is in flight, `null` when signed out.
const [user, setUser] = createSignal<Me | null | undefined>(undefined);
let loading: Promise<Me | null> | undefined;

async function refresh(): Promise<Me | null> {
  loading = api
    .me()
    .then((me) => me ?? null)
    .catch((e) => {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    })
    .then((me) => {
      setUser(me);
      return me;
    })
    .catch(() => {
      setUser(null);
      return null;
    });
  return loading;
}

export const session = {
  user,
  /** Resolves once we know whether someone is signed in. */
  ready(): Promise<Me | null> {
    const u = user();
    if (u !== undefined) return Promise.resolve(u);
    return loading ?? refresh();
  },
  refresh,
  async signIn(email: string, password: string): Promise<Me | null> {
    await api.login({ email, password });
    return refresh();
  },
  async signUp(name: string, email: string, password: string): Promise<Me | null> {
    await api.register({ name, email, password });
    return refresh();
  },
  async signOut(): Promise<void> {
    await api.logout().catch((e) => {
      if (!(e instanceof ApiError && e.status === 401)) throw e;
    });
    setUser(null);
  },
  /** For tests. */
  set: setUser,
};
