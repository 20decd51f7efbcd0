import { For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { Link } from '../components/Link';
import { RequireSignIn } from '../components/RequireSignIn';
import { RetryAlert } from '../components/RetryAlert';
import { STATUS_LABEL } from '../components/Timeline';
import { dateTime, money } from '../format';
import { FINAL_STATUSES, ordersStore } from '../stores/orders';
import { pageTitle } from '../title';

export default function OrdersPage(): JSX.Element {
  pageTitle(() => 'My orders');
  return (
    <section class="page">
      <h1>My orders</h1>
      <RequireSignIn>
        <OrdersList />
      </RequireSignIn>
    </section>
  );
}

function OrdersList(): JSX.Element {
  let timer: ReturnType<typeof setInterval> | undefined;
  onMount(() => {
    void ordersStore.load();
    // Keep refreshing while any order is still moving.
    timer = setInterval(() => {
      if (ordersStore.state.list.some((o) => !FINAL_STATUSES.has(o.status))) void ordersStore.load();
    }, 3000);
  });
  onCleanup(() => clearInterval(timer));
  return (
    <>
      <Show when={ordersStore.state.error}>
        <RetryAlert onRetry={() => void ordersStore.load()}>
          Could not load your orders. {ordersStore.state.error}
        </RetryAlert>
      </Show>
      <Show when={ordersStore.state.loaded} fallback={<p class="loading">Loading…</p>}>
        <Show
          when={ordersStore.state.list.length}
          fallback={
            // After a failed load the list is unknown, not empty.
            <Show when={!ordersStore.state.error}>
              <p>
                No orders yet. <Link href="/">Start with the shop.</Link>
              </p>
            </Show>
          }
        >
          <ul class="order-list">
            <For each={ordersStore.state.list}>
              {(o) => (
                <li class="card">
                  <Link href={`/orders/${o.id}`}>Order {o.id}</Link>
                  <span class={`status status-${o.status}`}>{STATUS_LABEL[o.status] ?? o.status}</span>
                  <span class="muted">{dateTime(o.createdAt)}</span>
                  <span>{money(o.total, o.currency)}</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </>
  );
}
