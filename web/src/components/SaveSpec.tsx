import { createEffect, createResource, createSignal, type JSX, Show } from 'solid-js';
import { ApiError, api, type Measurements } from '../api';
import type { Selection } from '../engine';
import { session } from '../stores/session';

// Loaded only for a signed-in shopper (docs/decisions/034-configurator-js-budget.md).
export interface SaveSpecProps {
  productId: string;
  selection: Selection;
  complete: boolean;
  measurements: Measurements | undefined;
  specId: string | undefined;
  returnTo: string;
  onSaved: (id: string) => void;
  onSignIn: () => void;
  /** Labels of the opened spec's options that the catalog has retired, by module. */
  onRetired?: (labels: Record<string, string | undefined>) => void;
}

export default function SaveSpec(props: SaveSpecProps): JSX.Element {
  const [name, setName] = createSignal('');
  const [error, setError] = createSignal<ApiError | Error>();
  const [saved, setSaved] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  // The spec opened from My specs (if any), to offer "Update". The specs store is loaded only
  // when saving, so it stays out of the configurator's first load.
  // A spec that is gone (404) is simply not offered; any other failure says so, with a retry.
  const [opened, { refetch }] = createResource(
    () => (props.specId && session.user() ? props.specId : undefined),
    (id) =>
      api.spec(id).catch((e) => {
        if (e instanceof ApiError && e.status === 404) return undefined;
        throw e;
      }),
  );
  const existing = () => (opened.state === 'ready' ? opened() : undefined);
  createEffect(() => {
    const changes = existing()?.validity?.changes ?? [];
    props.onRetired?.(
      Object.fromEntries(changes.filter((c) => c.why === 'retired').map((c) => [c.module, c.fromLabel])),
    );
  });
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
  // Every disabled control says why (as "Add to cart" does), in words a screen reader reads
  // with the button.
  const whyDisabled = () =>
    !props.complete
      ? 'Finish the configuration above to save it.'
      : !name().trim()
        ? 'Give the spec a name to save it.'
        : '';
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
        <Show when={opened.error as ApiError | undefined}>
          {(e) => (
            <p class="error" role="alert">
              The spec you opened could not be loaded, so it cannot be updated yet. {e().readable}{' '}
              <button type="button" class="link" onClick={() => void refetch()}>
                Try again
              </button>
            </p>
          )}
        </Show>
        <Show when={existing()}>
          {(s) => (
            <form onSubmit={(e) => save(e, false)}>
              <button
                type="submit"
                disabled={!props.complete || busy()}
                aria-describedby={props.complete ? undefined : 'save-why'}
              >
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
          <button
            type="submit"
            disabled={!props.complete || busy() || !name().trim()}
            aria-describedby={whyDisabled() ? 'save-why' : undefined}
          >
            Save spec
          </button>
        </form>
        <p id="save-why" class="hint">
          {whyDisabled()}
        </p>
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
