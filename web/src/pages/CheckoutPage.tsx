import { useNavigate } from '@solidjs/router';
import { createResource, createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { ApiError, type ShipTo } from '../api';
import { accountApi } from '../api-account';
import { AuthForm } from '../components/AuthForm';
import { Link } from '../components/Link';
import { RetryAlert } from '../components/RetryAlert';
import { countries } from '../countries';
import { money } from '../format';
import { type CartLine, cart } from '../stores/cart';
import { ordersStore } from '../stores/orders';
import { session } from '../stores/session';
import { lastShipTo } from '../stores/specs';
import { pageTitle } from '../title';

// What to say when a field is left empty (checked here before sending) or refused by the server:
// the server's schema messages ("Too small: expected string...") are not for shoppers.
const MISSING: Partial<Record<keyof ShipTo, string>> = {
  name: 'Enter the name of the person receiving the parcel.',
  line1: 'Enter the street address.',
  city: 'Enter the city.',
  postalCode: 'Enter the postal code.',
  country: 'Choose a country.',
};

const FIELDS: Array<{ key: keyof ShipTo; label: string; auto: string; optional?: boolean }> = [
  { key: 'name', label: 'Full name', auto: 'shipping name' },
  { key: 'line1', label: 'Address', auto: 'shipping address-line1' },
  { key: 'line2', label: 'Apartment, suite (optional)', auto: 'shipping address-line2', optional: true },
  { key: 'city', label: 'City', auto: 'shipping address-level2' },
  { key: 'region', label: 'State / region (optional)', auto: 'shipping address-level1', optional: true },
  { key: 'postalCode', label: 'Postal code', auto: 'shipping postal-code' },
];

export default function CheckoutPage(): JSX.Element {
  pageTitle(() => 'Checkout');
  const navigate = useNavigate();
  const [authMode, setAuthMode] = createSignal<'signin' | 'signup'>('signup');
  const [error, setError] = createSignal<ApiError | Error>();
  onMount(() => {
    void session.ready();
    // Offer the last address used, unless the shopper has started typing one.
    const last = lastShipTo();
    if (last && !cart.state.shipTo.line1)
      for (const [k, v] of Object.entries(last)) cart.setShipTo(k as keyof ShipTo, String(v ?? ''));
  });
  // The server's price for every line (it re-prices the order too; the browser never decides).
  const [quotes] = createResource(
    () => cart.state.lines.map((l) => ({ key: l.key, productId: l.productId, selection: l.selection })),
    async (lines) => {
      const pairs = await Promise.all(
        lines.map(
          async (l) =>
            [l.key, await accountApi.quote(l.productId, l.selection).catch((e: ApiError) => e)] as const,
        ),
      );
      return Object.fromEntries(pairs) as Record<string, QuoteResult>;
    },
  );
  const total = () => {
    const q = quotes();
    if (!q) return undefined;
    let amount = 0;
    let currency = 'USD';
    for (const line of cart.state.lines) {
      const r = q[line.key];
      if (!r || r instanceof ApiError) return undefined;
      amount += r.price.total * line.quantity;
      currency = r.price.currency;
    }
    return { amount, currency };
  };
  // A line the server will not price (an option no longer made) stops the total for good.
  const unpriced = () =>
    Object.values(quotes() ?? {}).some((r) => r instanceof ApiError && r.status >= 400 && r.status < 500);
  const apiError = () => {
    const e = error();
    return e instanceof ApiError ? e : undefined;
  };
  // Left while placing (Back, another link): the order still goes through, and the shell says so
  // where the shopper is (cart.placed); this page no longer takes them anywhere.
  let here = true;
  onCleanup(() => {
    here = false;
  });
  const [missing, setMissing] = createSignal<Partial<Record<keyof ShipTo, string>>>({});
  const serverFieldError = (key: keyof ShipTo) => {
    const hit = apiError()?.errors.find(
      (x) => x.path === `shipTo.${key}` || x.path.endsWith(`shipTo/${key}`) || x.path.endsWith(`.${key}`),
    );
    if (!hit) return undefined;
    if (key === 'country' || hit.code === 'too_small') return MISSING[key] ?? hit.message;
    if (hit.code === 'too_big') return 'This is too long; please shorten it.';
    return hit.message;
  };
  const fieldError = (key: keyof ShipTo) => missing()[key] ?? serverFieldError(key);
  const edit = (key: keyof ShipTo, value: string) => {
    cart.setShipTo(key, value);
    if (missing()[key]) setMissing({ ...missing(), [key]: undefined });
  };
  const lineError = (i: number) =>
    apiError()
      ?.errors.filter(
        (x) =>
          x.path.startsWith(`lines.${i}`) ||
          x.path.startsWith(`lines/${i}`) ||
          x.path.startsWith(`lines[${i}]`),
      )
      .map((x) => x.message)
      .join(' ');
  const place = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(undefined);
    const empty: Partial<Record<keyof ShipTo, string>> = {};
    for (const [key, message] of Object.entries(MISSING) as Array<[keyof ShipTo, string]>)
      if (!cart.state.shipTo[key]?.trim()) empty[key] = message;
    setMissing(empty);
    const first = Object.keys(empty)[0];
    if (first) {
      document.getElementById(`ship-${first}`)?.focus();
      return;
    }
    try {
      const order = await cart.place();
      ordersStore.remember(order);
      if (here) navigate(`/orders/${order.id}`);
    } catch (err) {
      if (!here) return;
      if (err instanceof ApiError && err.status === 401) session.set(null);
      setError(err as Error);
      // "Place order" was disabled while placing, which sent the focus to the top of the page:
      // bring it back to the first field to correct, or to the button.
      const form = e.target as HTMLFormElement;
      if (form.isConnected && (!document.activeElement || document.activeElement === document.body))
        (
          form.querySelector<HTMLElement>('[aria-invalid="true"]') ??
          form.querySelector<HTMLElement>('button[type="submit"]')
        )?.focus();
    }
  };
  const summary = () => {
    const e = error();
    if (Object.values(missing()).some(Boolean)) return 'Please fill in the marked fields.';
    if (!e) return '';
    if (e instanceof ApiError) {
      if (e.status === 0)
        return 'Could not reach the shop. Your cart and address are kept: press “Place order” again to retry safely.';
      if (e.status === 401) return 'Your session ended. Sign in again; your cart is kept.';
      // A server or proxy failure may or may not have taken the order: the same attempt sent again
      // answers with that order if it was (its Idempotency-Key), so say it is safe.
      if (e.status >= 500)
        return `The shop could not confirm your order (${e.readable}). Your cart and address are kept: press “Place order” again; it will be placed once.`;
      return e.errors.length ? 'Please correct the marked fields.' : e.readable;
    }
    return e.message;
  };
  return (
    <section class="page checkout">
      <h1>Checkout</h1>
      <Show
        when={cart.state.lines.length}
        fallback={
          <p>
            Your cart is empty. <Link href="/">Configure something</Link> or reorder from{' '}
            <Link href="/specs">My specs</Link>.
          </p>
        }
      >
        <section aria-labelledby="cart-h">
          <h2 id="cart-h">Your cart</h2>
          <ul class="cart-lines">
            <For each={cart.state.lines}>
              {(line, i) => <CartLineRow line={line} quote={quotes()?.[line.key]} error={lineError(i())} />}
            </For>
          </ul>
          <p class="cart-total" aria-live="polite">
            <Show
              when={total()}
              fallback={
                <span class="muted">
                  {unpriced()
                    ? 'Total: not available until the marked items are changed or removed.'
                    : 'Total: pricing…'}
                </span>
              }
            >
              {(t) => (
                <>
                  Total: <strong data-testid="cart-total">{money(t().amount, t().currency)}</strong>
                </>
              )}
            </Show>
          </p>
        </section>
        <Show
          when={session.user()}
          fallback={
            <section aria-labelledby="auth-h" class="inline-auth">
              <h2 id="auth-h">
                {authMode() === 'signup' ? 'Create an account to order' : 'Sign in to order'}
              </h2>
              <p class="hint">Your cart stays as it is.</p>
              {/* Who is signed in is unknown (offline): a signed-in shopper is not asked to sign in blind. */}
              <Show when={session.failure()}>
                {(e) => (
                  <RetryAlert onRetry={() => void session.refresh(true)}>
                    Could not check whether you are signed in. {e().readable}
                  </RetryAlert>
                )}
              </Show>
              <AuthForm mode={authMode()} onDone={() => undefined} onSwitch={setAuthMode} />
            </section>
          }
        >
          <form onSubmit={place} novalidate aria-labelledby="ship-h" class="ship-form">
            <h2 id="ship-h">Ship to</h2>
            <p class="error" role="alert">
              {summary()}
            </p>
            <For each={FIELDS}>
              {(f) => (
                <div class="field">
                  <label for={`ship-${f.key}`}>{f.label}</label>
                  <input
                    id={`ship-${f.key}`}
                    autocomplete={f.auto}
                    value={cart.state.shipTo[f.key] ?? ''}
                    required={!f.optional}
                    onInput={(e) => edit(f.key, e.currentTarget.value)}
                    aria-invalid={fieldError(f.key) ? 'true' : undefined}
                    aria-describedby={`ship-${f.key}-err`}
                  />
                  <p class="error" id={`ship-${f.key}-err`}>
                    {fieldError(f.key) ?? ''}
                  </p>
                </div>
              )}
            </For>
            <div class="field">
              <label for="ship-country">Country</label>
              <select
                id="ship-country"
                autocomplete="shipping country"
                value={cart.state.shipTo.country}
                onChange={(e) => edit('country', e.currentTarget.value)}
                aria-invalid={fieldError('country') ? 'true' : undefined}
                aria-describedby="ship-country-err"
                required
              >
                <option value="">Choose a country</option>
                <For each={countries()}>{(c) => <option value={c.code}>{c.name}</option>}</For>
              </select>
              <p class="error" id="ship-country-err">
                {fieldError('country') ?? ''}
              </p>
            </div>
            <button
              type="submit"
              class="primary"
              disabled={cart.state.placing}
              aria-busy={cart.state.placing}
            >
              {cart.state.placing ? 'Placing order…' : 'Place order'}
            </button>
            <p class="hint">The price is confirmed by the shop when the order is placed.</p>
          </form>
        </Show>
      </Show>
    </section>
  );
}

type QuoteResult = Awaited<ReturnType<typeof accountApi.quote>> | ApiError;

function CartLineRow(props: { line: CartLine; quote: QuoteResult | undefined; error?: string }): JSX.Element {
  const qtyId = () => `qty-${props.line.key}`;
  const ok = () => (props.quote && !(props.quote instanceof ApiError) ? props.quote : undefined);
  const failed = () => (props.quote instanceof ApiError ? props.quote : undefined);
  const name = () => props.line.specName ?? props.line.productName ?? props.line.productId;
  // A line the shop refuses as it is (an option no longer made, a rule changed): open it in the
  // configurator with its choices, where "Update in cart" replaces this line (`line=`), and the
  // spec, if it came from one, names the retired option as it was saved.
  const refused = () => {
    const status = failed()?.status ?? 0;
    return !!props.error || (status >= 400 && status < 500);
  };
  const fixHref = () => {
    const q = new URLSearchParams(props.line.selection);
    if (props.line.specId) q.set('spec', props.line.specId);
    q.set('line', props.line.key);
    return `/p/${encodeURIComponent(props.line.productId)}?${q}`;
  };
  return (
    <li class="cart-line" data-line={props.line.key}>
      <div>
        <strong>{name()}</strong> <code class="muted">{ok()?.specCode ?? props.line.specCode ?? ''}</code>
      </div>
      <div class="qty">
        <label for={qtyId()}>Quantity</label>
        <input
          id={qtyId()}
          type="number"
          min="1"
          max="99"
          value={props.line.quantity}
          onChange={(e) => cart.setQuantity(props.line.key, Number(e.currentTarget.value))}
        />
      </div>
      <div class="line-price">
        <Show
          when={ok()}
          fallback={
            <Show when={failed()} fallback={<span class="muted">Pricing…</span>}>
              {(f) => (
                <span class="error">
                  {f()
                    .errors.map((e) => e.message)
                    .join(' ') || f().readable}
                </span>
              )}
            </Show>
          }
        >
          {(q) => money(q().price.total * props.line.quantity, q().price.currency)}
        </Show>
      </div>
      <button type="button" class="link" onClick={() => cart.remove(props.line.key)}>
        Remove
        <span class="visually-hidden"> {name()}</span>
      </button>
      <Show when={props.error}>
        <p class="error" role="alert">
          {props.error}
        </p>
      </Show>
      <Show when={refused()}>
        <p class="fix-line">
          <Link href={fixHref()}>
            Change it in the configurator<span class="visually-hidden"> ({name()})</span>
          </Link>
        </p>
      </Show>
    </li>
  );
}
