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
// Whose account the browser's remembered things (addresses, the keys of orders being placed, the
// lists a page holds) belong to. Kept after a session merely expires, so that the next one to
// sign in here, if it is someone else, does not inherit them.
const OWNER = 'tl.account';
const ACCOUNT_KEYS = ['tl.lastShipTo', 'tl.reorderAttempts', 'tl.orderAgainAttempts', 'tl.fitOrderAttempts'];
// The body measurements typed in a configurator ("Find my size"), one key per product: the next
// one at this browser had them offered as theirs, and saved them with their own spec.
const MEASUREMENTS_PREFIX = 'tl.measure.';
const forgetters: Array<(signedOut: boolean) => void> = [];
/** Drops what belongs to the account that was signed in (`signedOut`: it signed out here, cart too). */
function forget(signedOut: boolean): void {
  for (const k of ACCOUNT_KEYS) storage.set(k, undefined);
  for (const k of storage.keys(MEASUREMENTS_PREFIX)) storage.set(k, undefined);
  for (const f of forgetters) f(signedOut);
}

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
      if (me) {
        if (storage.get(OWNER, me.id) !== me.id) forget(false);
        storage.set(OWNER, me.id);
      }
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
    storage.set(OWNER, undefined);
    forget(true);
    setUser(null);
  },
  /** `f` runs when the account's things are dropped: at sign-out, or when another account signs in. */
  onForget(f: (signedOut: boolean) => void): void {
    forgetters.push(f);
  },
  /** Sets who is signed in (tests; a 401 seen elsewhere signs the page out). */
  set(u: Me | null | undefined) {
    if (!u) storage.set(HINT, undefined);
    setUser(u);
  },
};
