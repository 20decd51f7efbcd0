import { useNavigate, useParams } from '@solidjs/router';
import { createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { ApiError, api, type Order, type ReorderDraft } from '../api';
import { Link } from '../components/Link';
import { RequireSignIn } from '../components/RequireSignIn';
import { RetryAlert } from '../components/RetryAlert';
import { CHANGE_WORDS, cancellation, STATUS_LABEL, Timeline } from '../components/Timeline';
import { dateTime, moduleName, money } from '../format';
import { catalogStore } from '../stores/catalog';
import { FINAL_STATUSES, ordersStore } from '../stores/orders';
import { pageTitle } from '../title';

export default function OrderPage(): JSX.Element {
  const params = useParams();
  pageTitle(() => `Order ${params.id}`);
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
  // Lines carry product ids; the shop's names come from the product list. An id is no name: until
  // the list loads, or when it cannot, the line says so (and the page offers to try again).
  // A plain signal, not a resource: the page must not suspend for a label.
  const [names, setNames] = createSignal<Record<string, string>>();
  const [namesError, setNamesError] = createSignal<string>();
  const loadNames = () => {
    setNamesError(undefined);
    catalogStore.list().then(
      (ps) => setNames(Object.fromEntries(ps.map((p) => [p.id, p.name]))),
      (e) => setNamesError(e instanceof ApiError ? e.readable : String(e)),
    );
  };
  loadNames();
  // The name a line was ordered under comes with the order; only older orders need the catalog.
  const productName = (l: { productId: string; productName?: string }) => {
    if (l.productName) return l.productName;
    const id = l.productId;
    const known = names();
    if (known) return known[id] ?? 'A product no longer in the catalog';
    return namesError() ? 'Product name not loaded' : 'Loading the product name…';
  };
  const [error, setError] = createSignal<string>();
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
            <Show when={cancellation(o())}>
              {(c) => (
                <p class="notice" data-testid="order-cancelled">
                  {c().by === 'shop'
                    ? `The shop cancelled this order on ${dateTime(c().at)}.`
                    : c().by === 'customer'
                      ? `You cancelled this order on ${dateTime(c().at)}.`
                      : `This order was cancelled on ${dateTime(c().at)}${c().detail ? ` (${c().detail})` : ''}.`}
                </p>
              )}
            </Show>
            <Timeline order={o()} />
            <Show when={o().status === 'delivered'}>
              <p class="fit-cta">
                <Link href={`/orders/${o().id}/fit`}>How does it fit?</Link> Tell us, and we adjust your saved
                size for next time.
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
            <Show when={namesError() && o().lines.some((l) => !l.productName)}>
              <RetryAlert onRetry={loadNames}>
                The product names could not be loaded. {namesError()}
              </RetryAlert>
            </Show>
            <ul class="order-lines">
              <For each={o().lines}>
                {(l) => (
                  <li>
                    <strong>{productName(l)}</strong> × {l.quantity} — {money(l.unitPrice, o().currency)} each
                    <br />
                    <span class="muted">
                      {(l.options ?? []).map((x) => x.label).join(' · ')} <code>{l.specCode}</code>
                    </span>
                  </li>
                )}
              </For>
            </ul>
            <OrderAgain order={o()} />
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
            <CancelOrder order={o()} />
            <p>
              <Link href="/orders">All orders</Link>
            </p>
          </div>
        )}
      </Show>
    </>
  );
}

/**
 * "Cancel order" asks first, in the page (cancelling is final): the question and its two answers
 * get focus, "Keep the order" first so a second Enter does not cancel. A refusal because
 * production has started is final too; any other failure says in words that the order is still
 * on and offers to try again.
 */
function CancelOrder(props: { order: Order }): JSX.Element {
  const [step, setStep] = createSignal<'idle' | 'asking' | 'failed'>('idle');
  const [busy, setBusy] = createSignal(false);
  const [message, setMessage] = createSignal('');
  let openButton: HTMLButtonElement | undefined;
  let keepButton: HTMLButtonElement | undefined;
  const ask = () => {
    setMessage('');
    setStep('asking');
    keepButton?.focus();
  };
  const keep = () => {
    setStep('idle');
    openButton?.focus();
  };
  const cancel = async () => {
    if (busy()) return;
    setBusy(true);
    setMessage('');
    try {
      await ordersStore.cancel(props.order.id);
      setStep('idle');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setStep('idle');
        setMessage('Production has started, so this order can no longer be cancelled.');
        void ordersStore.loadOne(props.order.id).catch(() => undefined);
      } else {
        setStep('failed');
        setMessage(
          e instanceof ApiError && e.status === 0
            ? 'We could not reach the shop, so your order has not been cancelled. Check your connection and try again.'
            : 'Something went wrong on our side, so your order has not been cancelled. Please try again.',
        );
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="cancel-order">
      <Show when={props.order.status === 'placed'}>
        <Show
          when={step() !== 'idle'}
          fallback={
            <button type="button" ref={openButton} onClick={ask}>
              Cancel order
            </button>
          }
        >
          <fieldset class="confirm">
            <legend>
              <strong>Cancel this order?</strong> This cannot be undone.
            </legend>
            <button type="button" ref={keepButton} onClick={keep} disabled={busy()}>
              Keep the order
            </button>{' '}
            <button type="button" class="danger" onClick={cancel} disabled={busy()} aria-busy={busy()}>
              {busy() ? 'Cancelling…' : step() === 'failed' ? 'Try again' : 'Yes, cancel the order'}
            </button>
          </fieldset>
        </Show>
      </Show>
      <p class="error" role="alert">
        {message()}
      </p>
    </div>
  );
}

/**
 * "Order again": the server re-checks the order against today's catalog (a draft, decision 014).
 * Unchanged, it is ordered at once to the same address; if an option was retired or the price
 * moved, the shopper first sees what changed and both prices, and confirms.
 */
function OrderAgain(props: { order: Order }): JSX.Element {
  const navigate = useNavigate();
  const [busy, setBusy] = createSignal(false);
  const [review, setReview] = createSignal<ReorderDraft>();
  // Module labels as the product names them ("Waist / hip"); the draft names modules by id.
  const [labels, setLabels] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal<string>();
  // The step that failed for want of the shop (offline, a server error): "Try again" runs it again
  // (placing reuses its Idempotency-Key, so a retry orders once).
  const [retry, setRetry] = createSignal<() => Promise<void>>();
  const place = async (draft: ReorderDraft) => {
    const order = await ordersStore.orderAgain(props.order.id, await bySpec(draft));
    navigate(`/orders/${order.id}`);
  };
  const run = async (step: () => Promise<void>) => {
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    setRetry(undefined);
    try {
      await step();
    } catch (e) {
      setError(
        e instanceof ApiError ? e.errors.map((x) => x.message).join(' ') || e.readable : (e as Error).message,
      );
      if (e instanceof ApiError && (e.status === 0 || e.status >= 500)) setRetry(() => () => run(step));
    } finally {
      setBusy(false);
    }
  };
  const start = () =>
    run(async () => {
      const draft = await ordersStore.draft(props.order.id);
      if (!draft.orderRequest.lines.length) {
        setError('None of these items can be made any more.');
        return;
      }
      const same = draft.lines.every((l) => l.orderable && !l.changed) && draft.totalThen === draft.totalNow;
      if (same) return place(draft);
      // Without the labels the review would name modules by id: say so and order nothing.
      const found: Record<string, string> = {};
      for (const id of new Set(draft.lines.filter((l) => l.changes.length).map((l) => l.productId))) {
        let failed: unknown;
        const product = await api.product(id).catch((e) => {
          if (!(e instanceof ApiError && e.status === 404)) failed = e;
          return undefined;
        });
        if (failed) {
          setError(
            `Nothing was ordered: what changed since this order could not be loaded. ${failed instanceof ApiError ? failed.readable : String(failed)}`,
          );
          setRetry(() => start);
          return;
        }
        for (const m of product?.modules ?? []) found[m.id] = m.label;
      }
      setLabels(found);
      setReview(draft);
    });
  const currency = () => review()?.currency ?? props.order.currency;
  return (
    <section class="order-again" aria-labelledby="again-h">
      <h2 id="again-h">Order again</h2>
      <Show
        when={review()}
        fallback={
          <p>
            <button type="button" class="primary" onClick={start} disabled={busy()} aria-busy={busy()}>
              {busy() ? 'Ordering…' : 'Order again'}
            </button>{' '}
            <span class="muted">Same items, same address, checked against today’s catalog.</span>
          </p>
        }
      >
        {(r) => (
          <div class="review reorder-review">
            <p>The catalog has changed since this order. What ordering it again means now:</p>
            <ul class="changes">
              <For each={r().lines}>
                {(l) => (
                  <>
                    <For each={l.changes}>
                      {(c) => (
                        <li>
                          <strong>{moduleName(c.module, labels()[c.module])}</strong>:{' '}
                          {c.fromLabel ?? c.from ?? '—'} ({CHANGE_WORDS[c.why] ?? c.why}) → replaced by{' '}
                          <strong>{c.toLabel ?? c.to ?? 'nothing'}</strong>
                        </li>
                      )}
                    </For>
                    <Show when={!l.orderable}>
                      <li>
                        <code>{l.then.specCode}</code>{' '}
                        {l.now
                          ? 'needs a choice only you can make (above) and is left out: order it from the configurator.'
                          : 'can no longer be made and is left out.'}
                      </li>
                    </Show>
                  </>
                )}
              </For>
            </ul>
            <p>
              {/* Over the same items: the draft's totalThen counts every line bought, its totalNow
                  only those ordered again. */}
              Price then{r().lines.some((l) => !l.orderable || !l.now) ? ' of the items ordered again' : ''}:{' '}
              <strong>
                {thenOfOrdered(r()) === null ? 'not recorded' : money(thenOfOrdered(r())!, currency())}
              </strong>
              {' · '}Price now: <strong>{money(r().totalNow, currency())}</strong>
            </p>
            <button
              type="button"
              class="primary"
              onClick={() => run(() => place(r()))}
              disabled={busy()}
              aria-busy={busy()}
            >
              {specsToUpdate(r()).length
                ? 'Update my spec and order'
                : r().lines.some((l) => l.changed || !l.orderable)
                  ? 'Order with these changes'
                  : 'Order at the new price'}
            </button>{' '}
            <button type="button" onClick={() => setReview(undefined)}>
              Not now
            </button>
          </div>
        )}
      </Show>
      <p class="error" role="alert">
        {error() ?? ''}
        <Show when={retry()}>
          {(again) => (
            <>
              {' '}
              <button type="button" onClick={() => void again()()}>
                Try again
              </button>
            </>
          )}
        </Show>
      </p>
    </section>
  );
}

/** What the lines ordered again cost then, or null when one of them has no recorded price. */
function thenOfOrdered(draft: ReorderDraft): number | null {
  let total = 0;
  for (const l of draft.lines) {
    if (!l.orderable || !l.now) continue;
    if (l.then.unitPrice === null) return null;
    total += l.then.unitPrice * l.quantity;
  }
  return total;
}

/** Lines bought from a saved spec that today's catalog changed, and that can be ordered. */
function specsToUpdate(draft: ReorderDraft) {
  return draft.lines.filter((l) => l.specId && l.changed && l.orderable && l.now);
}

/**
 * The draft's request with each changed spec line ordered by its spec, once the spec itself is
 * brought up to today's catalog (a new version; its measurements stay), as My specs does: ordered
 * as a plain product line, the new order would no longer be the spec's, and fit feedback on it
 * could not adjust the spec. `orderRequest` lists the orderable lines in the draft's order.
 */
async function bySpec(draft: ReorderDraft): Promise<ReorderDraft> {
  const update = specsToUpdate(draft);
  if (!update.length) return draft;
  // As My specs updates it: the specs store's update, so a list already loaded shows the new version.
  const { specsStore } = await import('../stores/specs');
  for (const l of update) await specsStore.update(l.specId!, { selection: l.now!.selection });
  const ordered = draft.lines.filter((l) => l.orderable && l.now);
  return {
    ...draft,
    orderRequest: {
      ...draft.orderRequest,
      lines: draft.orderRequest.lines.map((line, i) => {
        const l = ordered[i];
        return l && update.includes(l) ? { specId: l.specId!, quantity: l.quantity } : line;
      }),
    },
  };
}
