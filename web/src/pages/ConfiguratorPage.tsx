import { useParams, useSearchParams } from '@solidjs/router';
import {
  createMemo,
  createResource,
  createSignal,
  For,
  type JSX,
  lazy,
  Match,
  onCleanup,
  onMount,
  Show,
  Switch,
  untrack,
} from 'solid-js';
import type { Measurements } from '../api';
import { FindMySize } from '../components/FindMySize';
import { GarmentPreview } from '../components/GarmentPreview';
import { ModuleControl } from '../components/ModuleControl';
import { PriceBox } from '../components/PriceBox';
import type { ModuleAvailability, Selection } from '../engine';
import { cart } from '../stores/cart';
import { catalogStore, type LoadedProduct } from '../stores/catalog';
import { createConfigurator, selectionFromParams, withDefaults } from '../stores/configurator';
import { session } from '../stores/session';
import { storage } from '../stores/storage';
import { pageTitle } from '../title';

const SaveSpec = lazy(() => import('../components/SaveSpec'));

export default function ConfiguratorPage(): JSX.Element {
  const params = useParams();
  const [loaded, { refetch }] = createResource(
    () => params.productId,
    (id) => catalogStore.product(id),
  );
  // Read once per load, never on a pick (docs/decisions/035).
  pageTitle(() =>
    loaded.error
      ? loaded.error.status === 404
        ? 'Product not available'
        : 'The product could not be loaded'
      : loaded.state === 'ready'
        ? loaded().product.name
        : undefined,
  );
  return (
    <Switch>
      <Match when={loaded.error}>
        <section class="page">
          {/* Only a 404 means the product is gone; anything else (offline) is worth another try. */}
          <Show
            when={loaded.error.status !== 404}
            fallback={
              <>
                <h1>Product not available</h1>
                <p role="alert">We do not make this product (any more).</p>
              </>
            }
          >
            <h1>The product could not be loaded</h1>
            <p role="alert">
              Check your connection and try again.{' '}
              <button type="button" onClick={refetch}>
                Try again
              </button>
            </p>
          </Show>
          <a href="/">Back to the shop</a>
        </section>
      </Match>
      <Match when={loaded()}>{(l) => <Configurator loaded={l()} />}</Match>
      <Match when={true}>
        <p class="page loading">Loading…</p>
      </Match>
    </Switch>
  );
}

// Element by element, not String(list): this runs for every option of every module on each
// pick (227 sizes), and joining the lists allocated a string per option.
const sameWords = (a: string[] | undefined, b: string[] | undefined) =>
  a === b || (a?.length === b?.length && !!a?.every((w, i) => w === b![i]));

function sameAvailability(a: ModuleAvailability | undefined, b: ModuleAvailability | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.available !== b.available || a.options.length !== b.options.length) return false;
  return a.options.every((o, i) => {
    const p = b.options[i]!;
    return o.available === p.available && sameWords(o.reasons, p.reasons) && sameWords(o.change, p.change);
  });
}

function sameSelection(a: Selection, b: Selection): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export function Configurator(props: { loaded: LoadedProduct }): JSX.Element {
  const [search] = useSearchParams();
  const cp = () => props.loaded.cp;
  const product = () => props.loaded.product;
  // The configuration lives in the URL, but a pick paints first: history.pushState costs
  // several milliseconds in Chromium, so the URL is written right after the frame
  // (docs/decisions/033-url-after-paint.md). Back/forward arrive through popstate.
  const [selection, setSelection] = createSignal(selectionFromParams(cp(), search), {
    equals: sameSelection,
  });
  // Written with the History API directly: the router's navigation adds a replaceState and a
  // route pass per pick, and nothing but this page reads these query parameters. The router
  // still sees back/forward (popstate) and every link away from here.
  let queued: { params: Record<string, string | undefined>; replace: boolean } | undefined;
  const urlFor = (params: Record<string, string | undefined>) => {
    const q = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined || v === '') q.delete(k);
      else q.set(k, v);
    }
    return `${window.location.pathname}?${q}`;
  };
  const flush = () => {
    const q = queued;
    queued = undefined;
    if (!q) return;
    const url = urlFor(q.params);
    if (url !== window.location.pathname + window.location.search) {
      if (q.replace) history.replaceState(history.state, '', url);
      else history.pushState(history.state, '', url);
    }
    setLink(here());
  };
  const update = (next: Selection, replace = false) => {
    setSelection(next);
    const params: Record<string, string | undefined> = {};
    for (const m of cp().modules) params[m.id] = next[m.id];
    const first = !queued;
    queued = { params, replace: queued ? queued.replace && replace : replace };
    if (first) requestAnimationFrame(() => setTimeout(flush, 0));
  };
  // Leaving the page within a frame of a pick: the address bar belongs to the next page now.
  onCleanup(() => {
    queued = undefined;
  });
  const onPop = () =>
    setTimeout(() => {
      const params = Object.fromEntries(new URLSearchParams(window.location.search));
      setSelection(selectionFromParams(cp(), params));
      setLink(here());
    }, 0);
  window.addEventListener('popstate', onPop);
  onCleanup(() => window.removeEventListener('popstate', onPop));
  const state = createConfigurator(cp, selection);
  const measureKey = () => `tl.measure.${product().id}`;
  const [measurements, setMeasurements] = createSignal<Measurements | undefined>(
    storage.get(measureKey(), undefined),
  );
  const [notice, setNotice] = createSignal<string>();
  const [specId, setSpecId] = createSignal(typeof search.spec === 'string' ? search.spec : undefined);
  // This configuration as a link (what the address bar shows a frame after each pick).
  const here = () => {
    const q = new URLSearchParams(selection());
    const spec = specId();
    if (spec) q.set('spec', spec);
    return `/p/${encodeURIComponent(product().id)}?${q}`;
  };
  // The same, for links on the page (sign in and come back): updated with the address bar
  // after the frame, so a pick does not re-resolve router links on its way to the screen.
  const [link, setLink] = createSignal(untrack(here));

  onMount(() => {
    // A link starts from the catalog's defaults for whatever it leaves open, bare or with some
    // options (sizes stay for the shopper to find).
    const given = selection();
    const full = withDefaults(cp(), given);
    if (full !== given) update(full, true);
  });

  const labelOf = (id: string) => cp().product.modules.find((m) => m.id === id)?.label ?? id;
  // Labels of retired options this spec had, as the server saved them (reported by SaveSpec,
  // which fetches the opened spec anyway): a retired option's id means nothing to the shopper.
  const [retired, setRetired] = createSignal<Record<string, string | undefined>>({});
  const errorFor = (moduleId: string) => {
    const errs = state.validation().errors.filter((e) => e.module === moduleId && e.code !== 'missing');
    return errs.length
      ? errs
          .map((e) =>
            e.code === 'unknown_option'
              ? `${labelOf(moduleId)}: ${retired()[moduleId] ? `“${retired()[moduleId]}”` : 'the choice in this link'} is not offered any more. Please choose another.`
              : e.message,
          )
          .join(' ')
      : undefined;
  };
  const withValue = (moduleId: string, value: string | undefined): Selection => {
    const next = { ...selection() };
    if (value === undefined || value === '') delete next[moduleId];
    else next[moduleId] = value;
    return next;
  };
  const pick = (moduleId: string, optionId: string | undefined) => update(withValue(moduleId, optionId));
  const setText = (moduleId: string, text: string) => update(withValue(moduleId, text), true);
  const force = async (moduleId: string, optionId: string) => {
    const wanted = { ...selection(), [moduleId]: optionId };
    // Rarely used, so the nearest-valid search loads on demand.
    const { nearestValid } = await import('../../../catalog/engine/nearest');
    const near = nearestValid(cp(), wanted, { weights: { [moduleId]: 1000 } });
    update(near.selection);
    const changed = near.changes.filter((c) => c.module !== moduleId).map((c) => labelOf(c.module));
    setNotice(changed.length ? `Adjusted ${changed.join(', ')} to make it fit.` : undefined);
  };
  const applySizes = (sizes: Selection) => update({ ...selection(), ...sizes });
  const saveMeasurements = (m: Measurements) => {
    setMeasurements(m);
    storage.set(measureKey(), m);
  };

  // Opened from a cart line to fix it (`line=`, checkout): "Update in cart" replaces that line.
  const fixing = untrack(() => (typeof search.line === 'string' ? search.line : undefined));
  const inCart = () => !!fixing && cart.state.lines.some((l) => l.key === fixing);
  // A saved spec's line (ordered by the spec's id: its measurements go with it to the supplier).
  const fixingSpec = () => (fixing ? cart.state.lines.find((l) => l.key === fixing && l.specId) : undefined);
  const addToCart = (e: MouseEvent) => {
    // The second click of a double click (detail 2) is the same press, not a second pair; two
    // separate presses add two, on one line of quantity 2, and the notice says how many.
    if (e.detail > 1) return;
    const line = {
      productId: product().id,
      productName: product().name,
      selection: { ...selection() },
      specCode: state.specCode(),
    };
    const spec = fixingSpec();
    if (spec) {
      // The spec itself is brought up to today's catalog (a new version, its measurements kept),
      // and the line goes on ordering it by id; as a plain product line the order would reach the
      // supplier without the measurements, and fit feedback could no longer adjust the spec.
      const name = spec.specName ?? 'your spec';
      setNotice(undefined);
      void import('../stores/specs')
        .then(({ specsStore }) => specsStore.update(spec.specId!, { selection: line.selection }))
        .then(
          (saved) => {
            cart.replace(fixing!, { ...line, specId: saved.id, specName: saved.name });
            setNotice(`Updated “${saved.name}” and your cart.`);
          },
          (e: Error & { readable?: string; status?: number }) => {
            // Deleted meanwhile (My specs, another tab): nothing left to update or to order by id.
            if (e.status === 404) {
              cart.replace(fixing!, line);
              return setNotice(
                `“${name}” no longer exists: updated in your cart as a configuration of its own.`,
              );
            }
            setNotice(`Nothing was changed: “${name}” could not be updated. ${e.readable ?? e.message}`);
          },
        );
      return;
    }
    if (inCart()) {
      cart.replace(fixing!, line);
      return setNotice('Updated in your cart.');
    }
    const key = cart.add(line);
    const n = cart.state.lines.find((l) => l.key === key)?.quantity ?? 1;
    setNotice(n > 1 ? `Added to your cart: ${n} of this configuration in your cart.` : 'Added to your cart.');
  };
  const missing = () =>
    state
      .validation()
      .errors.filter((e) => e.code === 'missing')
      .map((e) => labelOf(e.module));
  // A choice that is there but wrong (a monogram with a digit) disables "Add to cart" too.
  const invalid = () => [
    ...new Set(
      state
        .validation()
        .errors.filter((e) => e.code !== 'missing')
        .map((e) => labelOf(e.module)),
    ),
  ];

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
            <Show when={!state.complete() && (missing().length || invalid().length)}>
              <p class="hint" id="missing-hint">
                {missing().length ? `Still to choose: ${missing().join(', ')}. ` : ''}
                {invalid().length ? `To correct: ${invalid().join(', ')}.` : ''}
              </p>
            </Show>
            <button
              type="button"
              class="primary"
              disabled={!state.complete()}
              aria-describedby={state.complete() ? undefined : 'missing-hint'}
              onClick={addToCart}
            >
              {fixingSpec()
                ? `Update “${fixingSpec()!.specName ?? 'spec'}” and cart`
                : inCart()
                  ? 'Update in cart'
                  : 'Add to cart'}
            </button>
            <a href="/checkout" class="button secondary">
              Checkout ({cart.state.lines.reduce((n, l) => n + l.quantity, 0)})
            </a>
            <p class="notice" aria-live="polite">
              {notice() ?? ''}
            </p>
          </div>
          <Show
            when={session.user()}
            fallback={
              <section class="save-spec" aria-labelledby="save-h">
                <h2 id="save-h">Remember this as a spec</h2>
                {/* Who is signed in is unknown (offline): a signed-in shopper is not asked to sign in. */}
                <Show
                  when={session.failure()}
                  fallback={
                    <Show when={session.user() === null}>
                      <p>
                        {/* A plain link (the router still takes its click): <A> re-resolved its href
                            through the router on every pick. */}
                        <a href={`/signin?next=${encodeURIComponent(link())}`}>Sign in</a> to save this
                        configuration and your measurements.
                      </p>
                    </Show>
                  }
                >
                  {(e) => (
                    <p class="error" role="alert">
                      Could not check whether you are signed in, so saving is not offered yet. {e().readable}{' '}
                      <button type="button" class="link" onClick={() => void session.refresh(true)}>
                        Try again
                      </button>
                    </p>
                  )}
                </Show>
              </section>
            }
          >
            <SaveSpec
              productId={product().id}
              selection={selection()}
              complete={state.complete()}
              measurements={measurements()}
              specId={specId()}
              returnTo={link()}
              onSaved={(id) => {
                setSpecId(id);
                queued = { params: { ...(queued?.params ?? {}), spec: id }, replace: true };
                flush();
              }}
              onSignIn={() => window.location.assign(`/signin?next=${encodeURIComponent(here())}`)}
              onRetired={setRetired}
            />
          </Show>
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
            {(m) => {
              // Per-module memos: a pick re-renders only the modules whose value, availability
              // or error actually changed (the click-to-paint budget).
              const value = createMemo(() => selection()[m.id]);
              const availability = createMemo(() => state.availability().get(m.id), undefined, {
                equals: sameAvailability,
              });
              const error = createMemo(() => errorFor(m.id));
              return (
                <ModuleControl
                  cp={cp()}
                  module={m}
                  value={value()}
                  availability={availability()}
                  error={error()}
                  onPick={pick}
                  onText={setText}
                  onForce={force}
                />
              );
            }}
          </For>
        </div>
      </div>
    </div>
  );
}
