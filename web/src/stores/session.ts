import { createSignal } from 'solid-js';
import { ApiError, api, type Me } from '../api';
import { storage } from './storage';

// Who is signed in. `undefined` while the first /api/me is in flight, `null` when signed out.
const [user, setUser] = createSignal<Me | null | undefined>(undefined);
// Why the last /api/me failed (offline, a server error): who is signed in is then unknown, and
// `user` stays undefined rather than claiming the shopper signed out.
const [failure, setFailure] = createSignal<ApiError>();
let loading: Promise<Me | null> | undefined;
// The session cookie is HttpOnly, so the page remembers only that it signed in; without that
// hint it does not ask /api/me at all (a signed-out 401 would be a console error on every page).
const HINT = 'tl.signedIn';

async function refresh(force = false): Promise<Me | null> {
  if (!force && !storage.get(HINT, false)) {
    setUser(null);
    return null;
  }
  setFailure();
  loading = api
    .me()
    .then((me) => me ?? null)
    .catch((e) => {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    })
    .then((me) => {
      storage.set(HINT, me ? true : undefined);
      setUser(me);
      return me;
    })
    .catch((e) => {
      setFailure(e instanceof ApiError ? e : new ApiError(0, {}));
      setUser(undefined);
      loading = undefined;
      return null;
    });
  return loading;
}

export const session = {
  user,
  /** Set while who is signed in could not be asked (pages that need it say so and offer a retry). */
  failure,
  /** Resolves once we know whether someone is signed in. */
  ready(): Promise<Me | null> {
    const u = user();
    if (u !== undefined) return Promise.resolve(u);
    return loading ?? refresh();
  },
  /** After signing in or up (AuthForm, with accountApi): asks the server who it is now. */
  refresh,
  async signOut(): Promise<void> {
    await api.logout().catch((e) => {
      if (!(e instanceof ApiError && e.status === 401)) throw e;
    });
    storage.set(HINT, undefined);
    setUser(null);
  },
  /** Sets who is signed in (tests; a 401 seen elsewhere signs the page out). */
  set(u: Me | null | undefined) {
    if (!u) storage.set(HINT, undefined);
    setUser(u);
  },
};
