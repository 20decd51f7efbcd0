import { A, useParams } from '@solidjs/router';
import { createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { ApiError } from '../api';
import { RequireSignIn } from '../components/RequireSignIn';
import { STATUS_LABEL, Timeline } from '../components/Timeline';
import { dateTime, money } from '../format';
import { FINAL_STATUSES, ordersStore } from '../stores/orders';

export default function OrderPage(): JSX.Element {
  return (
    <section class="page">
      <RequireSignIn heading="Order">
        <OrderDetail />
      </RequireSignIn>
    </section>
  );
}

function OrderDetail(): JSX.Element {
  const params = useParams();
  const [error, setError] = createSignal<string>();
  const [cancelError, setCancelError] = createSignal<string>();
  const order = () => ordersStore.byId(params.id!);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let alive = true;
  // Poll while open and while the order can still change.
  const poll = async () => {
    try {
      const o = await ordersStore.loadOne(params.id!);
      setError(undefined);
      if (FINAL_STATUSES.has(o.status)) return;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return setError('We could not find this order.');
      setError('Could not refresh this order; retrying.');
    }
    if (alive) timer = setTimeout(poll, 2000);
  };
  onMount(() => void poll());
  onCleanup(() => {
    alive = false;
    clearTimeout(timer);
  });
  const cancel = async () => {
    setCancelError(undefined);
    try {
      await ordersStore.cancel(params.id!);
    } catch (e) {
      setCancelError(
        e instanceof ApiError && e.status === 409
          ? 'Production has started, so this order can no longer be cancelled.'
          : (e as Error).message,
      );
    }
  };
  return (
    <>
      <h1>Order {params.id}</h1>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show
        when={order()}
        fallback={
          <Show when={!error()}>
            <p class="loading">Loading…</p>
          </Show>
        }
      >
        {(o) => (
          <div class="order-detail">
            <p>
              Status:{' '}
              <strong class={`status status-${o().status}`} data-testid="order-status" aria-live="polite">
                {STATUS_LABEL[o().status] ?? o().status}
              </strong>
              {' · '}placed {dateTime(o().createdAt)} · total{' '}
              <strong>{money(o().total, o().currency)}</strong>
            </p>
            <Timeline order={o()} />
            <Show when={o().status === 'delivered'}>
              <p class="fit-cta">
                <A href={`/orders/${o().id}/fit`}>How does it fit?</A> Tell us, and we adjust your saved size
                for next time.
              </p>
            </Show>
            <Show when={o().events.length > 1}>
              <details class="event-log">
                <summary>All updates ({o().events.length})</summary>
                <ol>
                  <For each={o().events}>
                    {(e) => (
                      <li>
                        <span class="muted">{dateTime(e.at)}</span> · {STATUS_LABEL[e.status] ?? e.status}
                        <Show when={typeof e.detail === 'string' && e.detail}>{(d) => <>: {d()}</>}</Show>
                      </li>
                    )}
                  </For>
                </ol>
              </details>
            </Show>
            <h2>Items</h2>
            <ul class="order-lines">
              <For each={o().lines}>
                {(l) => (
                  <li>
                    {l.quantity} × <code>{l.specCode}</code> — {money(l.unitPrice, o().currency)} each
                  </li>
                )}
              </For>
            </ul>
            <h2>Ship to</h2>
            <address>
              {o().shipTo.name}
              <br />
              {o().shipTo.line1}
              <Show when={o().shipTo.line2}>
                <br />
                {o().shipTo.line2}
              </Show>
              <br />
              {o().shipTo.postalCode} {o().shipTo.city} {o().shipTo.region ?? ''}
              <br />
              {o().shipTo.country}
            </address>
            <Show when={o().status === 'placed'}>
              <button type="button" onClick={cancel}>
                Cancel order
              </button>
              <p class="error" aria-live="polite">
                {cancelError() ?? ''}
              </p>
            </Show>
            <p>
              <A href="/orders">All orders</A>
            </p>
          </div>
        )}
      </Show>
    </>
  );
}
