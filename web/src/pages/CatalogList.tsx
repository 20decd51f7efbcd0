import { createResource, For, type JSX, Match, Switch } from 'solid-js';
import { Link } from '../components/Link';
import { money } from '../format';
import { catalogStore } from '../stores/catalog';
import { pageTitle } from '../title';

export default function CatalogList(): JSX.Element {
  pageTitle(() => 'Made to measure');
  const [products, { refetch }] = createResource(() => catalogStore.list());
  return (
    <section class="page">
      <h1>Made to measure</h1>
      <p class="lede">Pick a garment, tell us your measurements, choose every detail.</p>
      <Switch>
        <Match when={products.error}>
          <p role="alert" class="error">
            The catalog could not be loaded. Check your connection and try again.{' '}
            <button type="button" onClick={() => void refetch()}>
              Try again
            </button>
          </p>
        </Match>
        <Match when={products()}>
          <ul class="cards">
            <For each={products()}>
              {(p) => (
                <li class="card">
                  <h2>
                    <Link href={`/p/${p.id}`}>{p.name}</Link>
                  </h2>
                  <p>{p.description}</p>
                  <p class="muted">from {money(p.basePrice, p.currency)}</p>
                </li>
              )}
            </For>
          </ul>
        </Match>
        <Match when={true}>
          <p class="loading">Loading…</p>
        </Match>
      </Switch>
    </section>
  );
}
