import { useLocation } from '@solidjs/router';
import { createSignal, type JSX, Match, onMount, Show, Switch } from 'solid-js';
import { ApiError } from '../api';
import { adminApi, adminToken } from './api';
import { ComplaintsView } from './ComplaintsView';
import { CustomerPage, CustomersList, CustomersOverviewView } from './CustomersView';
import { OrderDetail, OrdersList } from './OrdersView';
import { PartnersView } from './PartnersView';
import { ServiceView } from './ServiceView';
import './console.css';
import { Link } from '../components/Link';
import { pageTitle } from '../title';

// The operations console at /console: customers (tiers, Pareto, 3 x 3 grid, one page per
// customer), orders (search, detail, deliveries, redeliver, cancel), partners, feedback & service.
// Operators sign in with ADMIN_TOKEN, kept for this tab only.

export const [tokenVersion, setTokenVersion] = createSignal(0);

/**
 * The token the shop has accepted in this tab. The menu shows only for it: a token is kept (and
 * the console opened) once one admin request with it succeeded, so a wrong one no longer opened
 * the console as if signed in, with only an alert saying otherwise.
 */
const [accepted, setAccepted] = createSignal('');
const [checking, setChecking] = createSignal(false);
const [gateError, setGateError] = createSignal<unknown>(null);

async function verify(token: string): Promise<void> {
  setChecking(true);
  setGateError(null);
  try {
    await adminApi.checkToken(token);
    adminToken.set(token);
    setAccepted(token);
  } catch (e) {
    // Refused: forget it. Unreachable: keep a stored one, so "Try again" can check it again.
    if (e instanceof ApiError && e.status === 401) adminToken.clear();
    setGateError(e);
  } finally {
    setChecking(false);
    setTokenVersion((v) => v + 1);
  }
}

function TokenGate(): JSX.Element {
  const [value, setValue] = createSignal('');
  let input!: HTMLInputElement;
  const refused = () => {
    const e = gateError();
    return e instanceof ApiError && e.status === 401;
  };
  const message = () => {
    const e = gateError();
    if (refused()) return 'The shop did not accept that token: a valid admin bearer token is required.';
    return e instanceof ApiError ? e.readable : String(e);
  };
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!value().trim() || checking()) return;
    await verify(value().trim());
    // Still here (refused, or the shop unreachable): the token can be typed again at once.
    if (gateError() !== null) input?.select();
  };
  return (
    <form class="console-gate card" onSubmit={submit}>
      <h1>Operations console</h1>
      <p class="muted">
        Paste the admin token (ADMIN_TOKEN, printed by npm start). It is kept for this tab only.
      </p>
      <Show when={gateError() !== null}>
        <div role="alert" class="error-box">
          <p>{message()}</p>
          <Show when={!refused() && adminToken.get()}>
            {(token) => (
              <button type="button" onClick={() => void verify(token())}>
                Try again
              </button>
            )}
          </Show>
        </div>
      </Show>
      <label>
        Admin token
        <input
          ref={input}
          type="password"
          name="token"
          autocomplete="off"
          value={value()}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
      </label>
      <button type="submit" disabled={checking()}>
        Open the console
      </button>
      <span role="status" class="small-text">
        {checking() ? 'Checking the token…' : ''}
      </span>
    </form>
  );
}

export default function ConsoleApp(): JSX.Element {
  pageTitle(() => 'Operations console');
  const location = useLocation();
  const path = () => location.pathname.replace(/\/+$/, '');
  const segment = (i: number) => path().split('/')[i + 2];
  const signedIn = () => {
    tokenVersion();
    const token = adminToken.get();
    return token !== '' && token === accepted();
  };
  // A token kept from earlier in this tab is checked once before the menu shows (the shop may
  // have restarted with another ADMIN_TOKEN).
  onMount(() => {
    const kept = adminToken.get();
    if (kept && kept !== accepted() && !checking()) void verify(kept);
  });
  const signOut = () => {
    adminToken.clear();
    setAccepted('');
    setGateError(null);
    setTokenVersion((v) => v + 1);
  };
  return (
    <div class="console">
      <Show when={signedIn()} fallback={<TokenGate />}>
        <nav class="console-nav" aria-label="Console">
          <strong>Operations</strong>
          <Link href="/console" end>
            Customers
          </Link>
          <Link href="/console/orders">Orders</Link>
          <Link href="/console/partners">Partners</Link>
          <Link href="/console/service">Feedback &amp; service</Link>
          <Link href="/console/complaints">Complaints</Link>
          <button type="button" class="link" onClick={signOut}>
            Leave console
          </button>
        </nav>
        <Switch
          fallback={
            <p>
              Nothing here. <Link href="/console">Back to the console</Link>
            </p>
          }
        >
          <Match when={path() === '/console'}>
            <CustomersOverviewView />
          </Match>
          <Match when={segment(0) === 'customers' && !segment(1)}>
            <CustomersList />
          </Match>
          <Match when={segment(0) === 'customers' && segment(1)}>
            {(id) => <CustomerPage id={decodeURIComponent(id())} />}
          </Match>
          <Match when={segment(0) === 'orders' && !segment(1)}>
            <OrdersList />
          </Match>
          <Match when={segment(0) === 'orders' && segment(1)}>
            {(id) => <OrderDetail id={decodeURIComponent(id())} />}
          </Match>
          <Match when={segment(0) === 'partners'}>
            <PartnersView />
          </Match>
          <Match when={segment(0) === 'complaints'}>
            <ComplaintsView />
          </Match>
          <Match when={segment(0) === 'service'}>
            <ServiceView />
          </Match>
        </Switch>
      </Show>
    </div>
  );
}
