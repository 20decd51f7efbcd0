import { A, useLocation, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import {
  createResource,
  createSignal,
  For,
  type JSX,
  Match,
  onCleanup,
  onMount,
  Show,
  Switch,
} from 'solid-js';
import { ApiError, api, type Measurements } from '../api';
import { FindMySize } from '../components/FindMySize';
import { GarmentPreview } from '../components/GarmentPreview';
import { ModuleControl } from '../components/ModuleControl';
import { PriceBox } from '../components/PriceBox';
import { nearestValid, type Selection } from '../engine';
import { cart } from '../stores/cart';
import { catalogStore, type LoadedProduct } from '../stores/catalog';
import { createConfigurator, defaultSelection, selectionFromParams } from '../stores/configurator';
import { session } from '../stores/session';
import { storage } from '../stores/storage';

export default function ConfiguratorPage(): JSX.Element {
  const params = useParams();
  const [loaded] = createResource(
    () => params.productId,
    (id) => catalogStore.product(id),
  );
  return (
    <Switch>
      <Match when={loaded.error}>
        <section class="page">
          <h1>Product not available</h1>
          <p role="alert">
            {loaded.error instanceof ApiError && loaded.error.status === 404
              ? 'We do not make this product (any more).'
              : 'The product could not be loaded. Please try again.'}
          </p>
          <A href="/">Back to the shop</A>
        </section>
      </Match>
      <Match when={loaded()}>{(l) => <Configurator loaded={l()} />}</Match>
      <Match when={true}>
        <p class="page loading">Loading…</p>
      </Match>
    </Switch>
  );
}

function sameSelection(a: Selection, b: Selection): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export function Configurator(props: { loaded: LoadedProduct }): JSX.Element {
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const cp = () => props.loaded.cp;
  const product = () => props.loaded.product;
  // The configuration lives in the URL, but a pick paints first: history.pushState costs
  // several milliseconds in Chromium, so the URL is written right after the frame
  // (docs/decisions/033-url-after-paint.md). Back/forward arrive through popstate.
  const [selection, setSelection] = createSignal(selectionFromParams(cp(), search), {
    equals: sameSelection,
  });
  let queued: { params: Record<string, string | undefined>; replace: boolean } | undefined;
  const flush = () => {
    const q = queued;
    queued = undefined;
    if (q) setSearch(q.params, { replace: q.replace });
  };
  const update = (next: Selection, replace = false) => {
    setSelection(next);
    const params: Record<string, string | undefined> = {};
    for (const m of cp().modules) params[m.id] = next[m.id];
    const first = !queued;
    queued = { params, replace: queued ? queued.replace && replace : replace };
    if (first) requestAnimationFrame(() => setTimeout(flush, 0));
  };
  const onPop = () =>
    setTimeout(() => {
      const params = Object.fromEntries(new URLSearchParams(window.location.search));
      setSelection(selectionFromParams(cp(), params));
    }, 0);
  window.addEventListener('popstate', onPop);
  onCleanup(() => window.removeEventListener('popstate', onPop));
  const state = createConfigurator(cp, selection);
  const measureKey = () => `tl.measure.${product().id}`;
  const [measurements, setMeasurements] = createSignal<Measurements | undefined>(
    storage.get(measureKey(), undefined),
  );
  const [notice, setNotice] = createSignal<string>();

  onMount(() => {
    // A bare product link starts from the catalog's defaults (sizes stay for the shopper to find).
    if (Object.keys(selection()).length === 0) update(defaultSelection(cp()), true);
  });

  const errorFor = (moduleId: string) => {
    const errs = state.validation().errors.filter((e) => e.module === moduleId && e.code !== 'missing');
    return errs.length ? errs.map((e) => e.message).join(' ') : undefined;
  };
  const withValue = (moduleId: string, value: string | undefined): Selection => {
    const next = { ...selection() };
    if (value === undefined || value === '') delete next[moduleId];
    else next[moduleId] = value;
    return next;
  };
  const pick = (moduleId: string, optionId: string | undefined) => update(withValue(moduleId, optionId));
  const setText = (moduleId: string, text: string) => update(withValue(moduleId, text), true);
  const force = (moduleId: string, optionId: string) => {
    const wanted = { ...selection(), [moduleId]: optionId };
    const near = nearestValid(cp(), wanted, { weights: { [moduleId]: 1000 } });
    update(near.selection);
    const labelOf = (id: string) => cp().product.modules.find((m) => m.id === id)?.label ?? id;
    const changed = near.changes.filter((c) => c.module !== moduleId).map((c) => labelOf(c.module));
    setNotice(changed.length ? `Adjusted ${changed.join(', ')} to make it fit.` : undefined);
  };
  const applySizes = (sizes: Selection) => update({ ...selection(), ...sizes });
  const saveMeasurements = (m: Measurements) => {
    setMeasurements(m);
    storage.set(measureKey(), m);
  };

  const addToCart = () => {
    cart.add({
      productId: product().id,
      productName: product().name,
      selection: { ...selection() },
      specCode: state.specCode(),
    });
    setNotice('Added to your cart.');
  };
  const missing = () =>
    state
      .validation()
      .errors.filter((e) => e.code === 'missing')
      .map((e) => cp().product.modules.find((m) => m.id === e.module)?.label ?? e.module);

  return (
    <div class="configurator">
      <header class="product-head">
        <h1>{product().name}</h1>
        <Show when={product().description}>
          <p class="lede">{product().description}</p>
        </Show>
      </header>
      <div class="config-grid">
        <aside class="summary" aria-label="Your configuration">
          <GarmentPreview product={product()} selection={selection()} />
          <PriceBox
            price={state.price()}
            remaining={state.remaining()}
            specCode={state.specCode()}
            complete={state.complete()}
          />
          <div class="actions">
            <Show when={!state.complete() && missing().length}>
              <p class="hint" id="missing-hint">
                Still to choose: {missing().join(', ')}.
              </p>
            </Show>
            <button
              type="button"
              class="primary"
              disabled={!state.complete()}
              aria-describedby={state.complete() ? undefined : 'missing-hint'}
              onClick={addToCart}
            >
              Add to cart
            </button>
            <A href="/checkout" class="button secondary">
              Checkout ({cart.state.lines.length})
            </A>
            <p class="notice" aria-live="polite">
              {notice() ?? ''}
            </p>
          </div>
          <SaveSpec
            productId={product().id}
            selection={selection()}
            complete={state.complete()}
            measurements={measurements()}
            specId={typeof search.spec === 'string' ? search.spec : undefined}
            returnTo={location.pathname + location.search}
            onSaved={(id) => setSearch({ spec: id }, { replace: true })}
            onSignIn={() =>
              navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`)
            }
          />
        </aside>
        <div class="modules">
          <FindMySize
            cp={cp()}
            selection={selection()}
            measurements={measurements()}
            onMeasurements={saveMeasurements}
            onApply={applySizes}
          />
          <For each={product().modules}>
            {(m) => (
              <ModuleControl
                cp={cp()}
                module={m}
                value={selection()[m.id]}
                availability={state.availability().get(m.id)}
                error={errorFor(m.id)}
                onPick={pick}
                onText={setText}
                onForce={force}
              />
            )}
          </For>
        </div>
      </div>
    </div>
  );
}

interface SaveSpecProps {
  productId: string;
  selection: Selection;
  complete: boolean;
  measurements: Measurements | undefined;
  specId: string | undefined;
  returnTo: string;
  onSaved: (id: string) => void;
  onSignIn: () => void;
}

function SaveSpec(props: SaveSpecProps): JSX.Element {
  const [name, setName] = createSignal('');
  const [error, setError] = createSignal<ApiError | Error>();
  const [saved, setSaved] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  // The spec opened from My specs (if any), to offer "Update". The specs store is loaded only
  // when saving, so it stays out of the configurator's first load.
  const [opened] = createResource(
    () => (props.specId && session.user() ? props.specId : undefined),
    (id) => api.spec(id).catch(() => undefined),
  );
  const existing = () => (opened.state === 'ready' ? opened() : undefined);
  const specs = () => import('../stores/specs').then((m) => m.specsStore);
  const save = async (e: SubmitEvent, asNew: boolean) => {
    e.preventDefault();
    setError(undefined);
    setSaved(undefined);
    setBusy(true);
    try {
      const spec =
        !asNew && existing()
          ? await (await specs()).update(existing()!.id, {
              selection: props.selection,
              ...(props.measurements ? { measurements: props.measurements } : {}),
            })
          : await (await specs()).create({
              name: name().trim(),
              productId: props.productId,
              selection: { ...props.selection },
              ...(props.measurements ? { measurements: props.measurements } : {}),
            });
      setSaved(`Saved as “${spec.name}”.`);
      props.onSaved(spec.id);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const nameError = () => {
    const e = error();
    return e instanceof ApiError ? e.errorFor('name') : undefined;
  };
  return (
    <section class="save-spec" aria-labelledby="save-h">
      <h2 id="save-h">Remember this as a spec</h2>
      <Show
        when={session.user()}
        fallback={
          <p>
            <button type="button" class="link" onClick={() => props.onSignIn()}>
              Sign in
            </button>{' '}
            to save this configuration and your measurements.
          </p>
        }
      >
        <Show when={existing()}>
          {(s) => (
            <form onSubmit={(e) => save(e, false)}>
              <button type="submit" disabled={!props.complete || busy()}>
                Update “{s().name}”
              </button>
            </form>
          )}
        </Show>
        <form class="inline-form" onSubmit={(e) => save(e, true)}>
          <label for="spec-name">Name</label>
          <input
            id="spec-name"
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            placeholder="Work jeans"
            required
            maxLength={80}
            aria-invalid={nameError() ? 'true' : undefined}
            aria-describedby="spec-err"
          />
          <button type="submit" disabled={!props.complete || busy() || !name().trim()}>
            Save spec
          </button>
        </form>
        <p id="spec-err" class="error" aria-live="polite">
          {nameError() ??
            (error() instanceof ApiError ? (error() as ApiError).readable : (error()?.message ?? ''))}
        </p>
        <p class="notice" aria-live="polite">
          {saved() ?? ''}
        </p>
      </Show>
    </section>
  );
}
