import { useLocation } from '@solidjs/router';
import { createSignal, type JSX, Match, Show, Switch } from 'solid-js';
import { adminToken } from './api';
import { ComplaintsView } from './ComplaintsView';
import { CustomerPage, CustomersList, CustomersOverviewView } from './CustomersView';
import { OrderDetail, OrdersList } from './OrdersView';
import { PartnersView } from './PartnersView';
import { ServiceView } from './ServiceView';
import './console.css';
import { Link } from '../components/Link';

// The operations console at /console: customers (tiers, Pareto, 3 x 3 grid, one page per
// customer), orders (search, detail, deliveries, redeliver, cancel), partners, feedback & service.
// Operators sign in with ADMIN_TOKEN, kept for this tab only.

export const [tokenVersion, setTokenVersion] = createSignal(0);

function TokenGate(): JSX.Element {
  const [value, setValue] = createSignal('');
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (!value().trim()) return;
    adminToken.set(value().trim());
    setTokenVersion((v) => v + 1);
  };
  return (
    <form class="console-gate card" onSubmit={submit}>
      <h1>Operations console</h1>
      <p class="muted">
        Paste the admin token (ADMIN_TOKEN, printed by npm start). It is kept for this tab only.
      </p>
      <label>
        Admin token
        <input
          type="password"
          name="token"
          autocomplete="off"
          value={value()}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
      </label>
      <button type="submit">Open the console</button>
    </form>
  );
}

export default function ConsoleApp(): JSX.Element {
  const location = useLocation();
  const path = () => location.pathname.replace(/\/+$/, '');
  const segment = (i: number) => path().split('/')[i + 2];
  const signedIn = () => {
    tokenVersion();
    return adminToken.get() !== '';
  };
  const signOut = () => {
    adminToken.clear();
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
