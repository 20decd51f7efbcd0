import { useNavigate } from '@solidjs/router';
import {
  createMemo,
  createResource,
  createSignal,
  For,
  type JSX,
  Match,
  onMount,
  Show,
  Switch,
} from 'solid-js';
import {
  ApiError,
  api,
  type Order,
  type ShipTo,
  type Spec,
  type SpecValidity,
  type SpecVersion,
} from '../api';
import { accountApi } from '../api-account';
import { Link } from '../components/Link';
import { RequireSignIn } from '../components/RequireSignIn';
import { RetryAlert } from '../components/RetryAlert';
import { CHANGE_WORDS, STATUS_LABEL } from '../components/Timeline';
import { type Change, type CompiledProduct, nearestValid, price, type Selection, validate } from '../engine';
import { dateTime, moduleName, money } from '../format';
import { cart } from '../stores/cart';
import { catalogStore, type LoadedProduct } from '../stores/catalog';
import { ordersStore } from '../stores/orders';
import { lastShipTo, specsStore } from '../stores/specs';
import { pageTitle } from '../title';

export default function SpecsPage(): JSX.Element {
  pageTitle(() => 'My specs');
  return (
    <section class="page">
      <h1>My specs</h1>
      <RequireSignIn>
        <SpecsList />
      </RequireSignIn>
    </section>
  );
}

function SpecsList(): JSX.Element {
  onMount(() => {
    void specsStore.load().catch(() => undefined);
    void ordersStore.load();
  });
  return (
    <>
      <Show when={specsStore.state.error}>
        <RetryAlert onRetry={() => void specsStore.load().catch(() => undefined)}>
          Could not load your specs. {specsStore.state.error}
        </RetryAlert>
      </Show>
      {/* The orders fill the specs' histories and the last address "Order again" uses. */}
      <Show when={ordersStore.state.error}>
        <RetryAlert onRetry={() => void ordersStore.load()}>
          Could not load your orders, so the histories below leave them out. {ordersStore.state.error}
        </RetryAlert>
      </Show>
      <Show when={specsStore.state.loaded} fallback={<p class="loading">Loading…</p>}>
        <Show
          when={specsStore.state.list.length}
          fallback={
            // After a failed load the list is unknown, not empty.
            <Show when={!specsStore.state.error}>
              <p>
                No specs yet. Configure a garment and choose “Save spec” to remember it.{' '}
                <Link href="/">Go to the shop</Link>
              </p>
            </Show>
          }
        >
          <ul class="spec-list">
            <For each={specsStore.state.list}>{(spec) => <SpecCard spec={spec} />}</For>
          </ul>
        </Show>
      </Show>
    </>
  );
}

/** "Ada Lovelace, 12 Analytical Way, London, United Kingdom": enough to tell one address from another. */
export function addressLine(to: ShipTo): string {
  let country = to.country;
  try {
    country = new Intl.DisplayNames(['en'], { type: 'region' }).of(to.country) ?? to.country;
  } catch {
    // An unknown code (or no Intl data) shows as the code.
  }
  return [to.name, to.line1, to.city, country].filter(Boolean).join(', ');
}

/** What changed in the catalog since the spec was saved, and what ordering it now means. */
export interface SpecReview {
  changed: boolean;
  versionChanged: boolean;
  changes: Array<Change & { moduleLabel: string; fromLabel?: string; toLabel?: string }>;
  selection: Selection;
  priceNow: number;
  currency: string;
  /** The repair still needs text only the customer can type (a monogram made required). */
  needsInput: boolean;
}

export function reviewSpec(spec: Spec, loaded: LoadedProduct, server?: SpecValidity): SpecReview {
  const cp: CompiledProduct = loaded.cp;
  const check = validate(cp, spec.selection);
  const moduleOf = (id: string) => loaded.product.modules.find((m) => m.id === id);
  const labelOf = (moduleId: string, optionId: string | undefined) => {
    const m = moduleOf(moduleId);
    if (!optionId || !m || m.kind !== 'choice') return optionId;
    return m.options.find((o) => o.id === optionId)?.label;
  };
  let selection = spec.selection;
  let changes: SpecReview['changes'] = [];
  if (server && !server.valid && server.alternative) {
    // The server kept the labels of retired options; prefer its account of what changed.
    selection = server.alternative.selection;
    changes = server.changes.map((c) => ({
      ...c,
      why: c.why as Change['why'],
      moduleLabel: moduleName(c.module, moduleOf(c.module)?.label),
      fromLabel: c.fromLabel ?? labelOf(c.module, c.from) ?? c.from,
      toLabel: c.toLabel ?? labelOf(c.module, c.to),
    }));
  } else if (!(check.valid && check.complete)) {
    const near = nearestValid(cp, spec.selection);
    selection = near.selection;
    changes = near.changes.map((c) => ({
      ...c,
      moduleLabel: moduleName(c.module, moduleOf(c.module)?.label),
      fromLabel: labelOf(c.module, c.from) ?? c.from,
      toLabel: labelOf(c.module, c.to),
    }));
  }
  const p = price(cp, selection);
  const versionChanged = spec.catalogVersion !== loaded.product.catalogVersion;
  return {
    needsInput: !validate(cp, selection).complete,
    changed: changes.length > 0 || versionChanged,
    versionChanged,
    changes,
    selection,
    priceNow: p.total,
    currency: p.currency,
  };
}

function SpecCard(props: { spec: Spec }): JSX.Element {
  const navigate = useNavigate();
  const [loaded, { refetch: reloadProduct }] = createResource(
    () => props.spec.productId,
    (id) => catalogStore.product(id),
  );
  // Only a 404 means the product is gone; any other failure (offline) is worth another try.
  const productGone = () => loaded.error instanceof ApiError && loaded.error.status === 404;
  const [validity, setValidity] = createSignal<SpecValidity>();
  const review = createMemo(() =>
    loaded.state === 'ready' ? reviewSpec(props.spec, loaded(), validity()) : undefined,
  );
  const [versions, setVersions] = createSignal<SpecVersion[]>();
  // A failed load says so (and is tried again on "Try again" or the next toggle): an empty list
  // would claim the spec never changed.
  const [versionsError, setVersionsError] = createSignal<string>();
  const loadVersions = () => {
    if (versions()) return;
    setVersionsError(undefined);
    void accountApi
      .specVersions(props.spec.id)
      .then(setVersions, (e) => setVersionsError(e instanceof ApiError ? e.readable : String(e)));
  };
  const [renaming, setRenaming] = createSignal(false);
  const [newName, setNewName] = createSignal('');
  const [renameError, setRenameError] = createSignal<string>();
  const [confirmDelete, setConfirmDelete] = createSignal(false);
  const [deleteError, setDeleteError] = createSignal<string>();
  const [reviewing, setReviewing] = createSignal(false);
  const [ordering, setOrdering] = createSignal(false);
  const [ordered, setOrdered] = createSignal<Order>();
  const [orderError, setOrderError] = createSignal<string>();
  // "Try again" after a step that failed for want of the shop (offline, a server error).
  const [orderRetry, setOrderRetry] = createSignal<() => void>();

  const ordersOfSpec = () =>
    ordersStore.state.list.filter((o) =>
      o.lines.some((l) => l.specId === props.spec.id || l.specCode === props.spec.specCode),
    );
  const priceThen = () => {
    if (props.spec.price) return props.spec.price.total;
    for (const o of ordersOfSpec()) {
      const line = o.lines.find((l) => l.specId === props.spec.id || l.specCode === props.spec.specCode);
      if (line) return line.unitPrice;
    }
    return undefined;
  };
  const openHref = () => {
    const q = new URLSearchParams({ ...props.spec.selection, spec: props.spec.id });
    return `/p/${encodeURIComponent(props.spec.productId)}?${q}`;
  };
  const shipTo = (): ShipTo | undefined => ordersStore.state.list[0]?.shipTo ?? lastShipTo();
  // One click orders to this address: it is shown before the click, and said again after it.
  const shipsTo = () => {
    const to = shipTo();
    return to ? addressLine(to) : undefined;
  };
  let notice: HTMLParagraphElement | undefined;

  const rename = async (e: SubmitEvent) => {
    e.preventDefault();
    setRenameError(undefined);
    try {
      await specsStore.rename(props.spec.id, newName().trim());
      setRenaming(false);
    } catch (err) {
      setRenameError(
        err instanceof ApiError ? (err.errorFor('name') ?? err.readable) : (err as Error).message,
      );
    }
  };
  const remove = async () => {
    setDeleteError(undefined);
    try {
      await specsStore.remove(props.spec.id);
    } catch (err) {
      setConfirmDelete(false);
      setDeleteError(err instanceof ApiError ? err.readable : (err as Error).message);
    }
  };
  const orderNow = async (withChanges: boolean, elsewhere = false) => {
    setOrderError(undefined);
    setOrderRetry(undefined);
    const to = elsewhere ? undefined : shipTo();
    if (!to) {
      // No address known yet: go through checkout with this spec in the cart.
      cart.add({
        productId: props.spec.productId,
        selection: props.spec.selection,
        specId: props.spec.id,
        specName: props.spec.name,
        specCode: props.spec.specCode,
      });
      navigate('/checkout');
      return;
    }
    setOrdering(true);
    try {
      const r = review();
      if (withChanges && r?.changes.length) {
        await specsStore.update(props.spec.id, { selection: r.selection });
        // What the server said of the old selection no longer holds: the spec is today's now.
        setValidity(undefined);
      }
      const order = await specsStore.reorder(props.spec.id, to);
      ordersStore.remember(order);
      setOrdered(order);
      setReviewing(false);
      // The button pressed was disabled while ordering (the focus fell to the page): the
      // confirmation, with its link to the order, is where the keyboard carries on.
      notice?.focus();
    } catch (err) {
      setOrderError(
        err instanceof ApiError
          ? err.errors.map((x) => x.message).join(' ') || err.readable
          : (err as Error).message,
      );
      if (err instanceof ApiError && (err.status === 0 || err.status >= 500))
        setOrderRetry(() => () => void orderNow(withChanges));
    } finally {
      setOrdering(false);
    }
  };
  const orderAgain = async () => {
    if (ordering()) return;
    setOrderError(undefined);
    setOrderRetry(undefined);
    if (review()?.changed) {
      // Ask the server what it knows of the change (labels of retired options) before showing it:
      // without it a retired option would show as its id. A failure says so and orders nothing.
      setOrdering(true);
      try {
        setValidity((await api.spec(props.spec.id)).validity);
        setReviewing(true);
      } catch (err) {
        setOrderError(
          `Nothing was ordered: what changed since you saved this spec could not be loaded. ${err instanceof ApiError ? err.readable : (err as Error).message}`,
        );
        setOrderRetry(() => () => void orderAgain());
      } finally {
        setOrdering(false);
      }
    } else void orderNow(false);
  };

  return (
    <li class="card spec" data-spec={props.spec.id}>
      <Show when={renaming()} fallback={<h2 class="spec-name">{props.spec.name}</h2>}>
        <form class="inline-form" onSubmit={rename}>
          <label for={`rename-${props.spec.id}`}>New name</label>
          <input
            id={`rename-${props.spec.id}`}
            value={newName()}
            onInput={(e) => setNewName(e.currentTarget.value)}
            aria-invalid={renameError() ? 'true' : undefined}
            aria-describedby={`rename-${props.spec.id}-err`}
            maxLength={80}
          />
          <button type="submit" disabled={!newName().trim()}>
            Save name
          </button>
          <button type="button" class="link" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      </Show>
      <p id={`rename-${props.spec.id}-err`} class="error" aria-live="polite">
        {renameError() ?? ''}
      </p>
      <p class="muted">
        {/* An id is no name: the product's name once loaded, else nothing but the spec code. */}
        <Show when={loaded.state === 'ready' ? loaded() : undefined}>
          {(l) => <>{l().product.name} · </>}
        </Show>
        <code>{props.spec.specCode}</code>
      </p>
      <Show when={review()?.changed}>
        <p class="changed-flag">The catalog has changed since this spec was saved.</p>
      </Show>
      <Show when={loaded.error}>
        <Show when={!productGone()} fallback={<p class="error">This product is no longer available.</p>}>
          <RetryAlert onRetry={() => void reloadProduct()}>
            The product could not be loaded, so this spec cannot be checked against today’s catalog or ordered
            yet. {loaded.error instanceof ApiError ? loaded.error.readable : String(loaded.error)}
          </RetryAlert>
        </Show>
      </Show>
      <div class="spec-actions">
        <button
          type="button"
          class="primary"
          onClick={orderAgain}
          disabled={ordering() || loaded.state !== 'ready'}
          aria-busy={ordering()}
          aria-describedby={`ships-${props.spec.id}`}
          data-testid="order-again"
        >
          {ordering() ? 'Ordering…' : 'Order again'}
        </button>
        <Link href={openHref()} class="button secondary">
          Open in configurator<span class="visually-hidden"> ({props.spec.name})</span>
        </Link>
        <button
          type="button"
          onClick={() => {
            setNewName(props.spec.name);
            setRenaming(true);
          }}
        >
          Rename<span class="visually-hidden"> {props.spec.name}</span>
        </button>
        <Show
          when={confirmDelete()}
          fallback={
            <button type="button" onClick={() => setConfirmDelete(true)}>
              Delete<span class="visually-hidden"> {props.spec.name}</span>
            </button>
          }
        >
          <span class="confirm">
            Delete “{props.spec.name}”?{' '}
            <button type="button" class="danger" onClick={remove}>
              Yes, delete
            </button>{' '}
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </span>
        </Show>
      </div>
      <p class="hint ships-to" id={`ships-${props.spec.id}`}>
        <Show when={shipsTo()} fallback="You choose where it ships at checkout.">
          {(to) => (
            <>
              Ships to {to()}.{' '}
              <button type="button" class="link" onClick={() => void orderNow(false, true)}>
                Ship elsewhere<span class="visually-hidden"> ({props.spec.name})</span>
              </button>
            </>
          )}
        </Show>
      </p>
      <div aria-live="polite">
        <Show when={ordered()}>
          {(o) => (
            <p class="notice" tabindex="-1" ref={notice}>
              Ordered: <Link href={`/orders/${o().id}`}>order {o().id}</Link> (
              {money(o().total, o().currency)}), shipping to {addressLine(o().shipTo)}.
            </p>
          )}
        </Show>
        <Show when={orderError() || deleteError()}>
          <p class="error" role="alert">
            {orderError() ?? deleteError()}
            <Show when={orderError() ? orderRetry() : undefined}>
              {(again) => (
                <>
                  {' '}
                  <button type="button" onClick={() => again()()}>
                    Try again
                  </button>
                </>
              )}
            </Show>
          </p>
        </Show>
      </div>
      <Show when={reviewing() && review()}>
        {(r) => (
          <section class="review" aria-labelledby={`review-${props.spec.id}`}>
            <h3 id={`review-${props.spec.id}`}>What changed since you saved “{props.spec.name}”</h3>
            <Show when={r().changes.length} fallback={<p>Your choices are all still available.</p>}>
              <ul class="changes">
                <For each={r().changes}>
                  {(c) => (
                    <li>
                      <strong>{c.moduleLabel}</strong>: {c.fromLabel ?? '—'} ({CHANGE_WORDS[c.why] ?? c.why})
                      → replaced by <strong>{c.toLabel ?? 'nothing'}</strong>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <p>
              Price then:{' '}
              <strong>
                {priceThen() === undefined ? 'not recorded' : money(priceThen()!, r().currency)}
              </strong>
              {' · '}Price now: <strong data-testid="price-now">{money(r().priceNow, r().currency)}</strong>
            </p>
            <Show
              when={!r().needsInput}
              fallback={
                <Link href={openHref()} class="button primary">
                  Finish it in the configurator
                </Link>
              }
            >
              <button type="button" class="primary" onClick={() => orderNow(true)} disabled={ordering()}>
                {r().changes.length ? 'Update my spec and order' : 'Order at the new price'}
              </button>
            </Show>{' '}
            <button type="button" onClick={() => setReviewing(false)}>
              Not now
            </button>
          </section>
        )}
      </Show>
      <details class="history" onToggle={loadVersions}>
        <summary>
          History<span class="visually-hidden"> of {props.spec.name}</span>
        </summary>
        <ul>
          {/* The spec's catalog version is its latest change's: it goes with that line, and each
              earlier version says its own. */}
          <Show
            when={props.spec.updatedAt !== props.spec.createdAt}
            fallback={
              <li>
                Saved {dateTime(props.spec.createdAt)} (catalog {props.spec.catalogVersion})
              </li>
            }
          >
            <li>Saved {dateTime(props.spec.createdAt)}</li>
            <li>
              Last changed {dateTime(props.spec.updatedAt)} (catalog {props.spec.catalogVersion})
            </li>
          </Show>
          <For each={versions() ?? []}>
            {(v, i) => (
              <li>
                Version {v.version ?? i() + 1}, {dateTime(v.createdAt)}: “{v.name}” <code>{v.specCode}</code>{' '}
                (catalog {v.catalogVersion})
              </li>
            )}
          </For>
          <For each={props.spec.history ?? []}>
            {(h) => (
              <li>
                {dateTime(h.at)}: {h.change ?? (h.name ? `named “${h.name}”` : 'updated')}{' '}
                {h.specCode ? <code>{h.specCode}</code> : null}
              </li>
            )}
          </For>
          <For each={ordersOfSpec()}>
            {(o) => (
              <li>
                Ordered {dateTime(o.createdAt)}: <Link href={`/orders/${o.id}`}>{o.id}</Link> (
                {STATUS_LABEL[o.status] ?? o.status})
              </li>
            )}
          </For>
        </ul>
        <Show when={versionsError()}>
          <RetryAlert onRetry={loadVersions}>
            The earlier versions could not be loaded. {versionsError()}
          </RetryAlert>
        </Show>
      </details>
      <Switch>
        <Match when={loaded.loading}>
          <span class="visually-hidden">Checking the catalog…</span>
        </Match>
      </Switch>
    </li>
  );
}
