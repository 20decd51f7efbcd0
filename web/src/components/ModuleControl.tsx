import { createMemo, createSignal, For, type JSX, Show } from 'solid-js';
import type { CompiledProduct, ModuleAvailability, ProductModule } from '../engine';
import { money } from '../format';
import { OptionButton, whyText } from './OptionButton';
import { SizePicker } from './SizePicker';

type ChoiceModule = Extract<ProductModule, { kind: 'choice' }>;
type TextModule = Extract<ProductModule, { kind: 'text' }>;

export interface ModuleControlProps {
  cp: CompiledProduct;
  module: ProductModule;
  value: string | undefined;
  availability: ModuleAvailability | undefined;
  error?: string;
  onPick: (moduleId: string, optionId: string | undefined) => void;
  onText: (moduleId: string, text: string) => void;
  /** Pick a blocked option and let the engine adjust the modules in the way. */
  onForce: (moduleId: string, optionId: string) => unknown;
}

export function moduleLabeller(cp: CompiledProduct): (id: string) => string {
  return (id) => cp.product.modules.find((m) => m.id === id)?.label ?? id;
}

/** One module of the product as the control its catalog `display` asks for. */
export function ModuleControl(props: ModuleControlProps): JSX.Element {
  return (
    <Show
      when={props.module.kind === 'choice' && (props.module as ChoiceModule)}
      fallback={<TextControl {...props} module={props.module as TextModule} />}
    >
      {(m) => <ChoiceControl {...props} module={m()} />}
    </Show>
  );
}

function ChoiceControl(props: ModuleControlProps & { module: ChoiceModule }): JSX.Element {
  const [blockedPick, setBlockedPick] = createSignal<string | undefined>();
  const [hinted, setHinted] = createSignal<string | undefined>();
  const hint = (e: Event) =>
    setHinted((e.target as Element).closest<HTMLElement>('[data-option]')?.dataset.option);
  const hintedBlocked = () => {
    const id = hinted();
    const a = id ? availOf(id) : undefined;
    return a && !a.available && id !== blockedPick() ? { id, a } : undefined;
  };
  const labelOf = createMemo(() => moduleLabeller(props.cp));
  const headingId = () => `mod-${props.module.id}`;
  const byOption = createMemo(() => new Map(props.availability?.options.map((o) => [o.id, o])));
  const availOf = (optionId: string) => byOption().get(optionId);
  const selectedLabel = () => props.module.options.find((o) => o.id === props.value)?.label;
  // Only while it is still blocked: once another pick (or "adjust the rest") frees it, the note
  // would contradict the option shown as chosen.
  const blockedOption = () => {
    const id = blockedPick();
    return id && availOf(id)?.available === false ? props.module.options.find((o) => o.id === id) : undefined;
  };
  const pick = (id: string) => {
    setBlockedPick(undefined);
    props.onPick(props.module.id, id);
  };
  let box: HTMLFieldSetElement | undefined;
  // The button pressed goes with the note: focus moves to the option now chosen, not to the page.
  const force = async (id: string) => {
    await props.onForce(props.module.id, id);
    setBlockedPick(undefined);
    box?.querySelector<HTMLElement>(`[data-option="${id}"]`)?.focus();
  };
  return (
    <fieldset
      ref={box}
      class="module"
      data-module={props.module.id}
      aria-describedby={`${headingId()}-msg`}
      // One set of listeners per module (not per option) to show why a hovered or focused
      // option is blocked.
      onPointerOver={hint}
      onPointerLeave={() => setHinted(undefined)}
      onFocusIn={hint}
      onFocusOut={() => setHinted(undefined)}
    >
      <legend id={headingId()}>
        {props.module.label}
        <Show when={selectedLabel()}>
          <span class="current">: {selectedLabel()}</span>
        </Show>
      </legend>
      <Show when={props.module.description}>
        <p class="hint">{props.module.description}</p>
      </Show>
      <Show
        when={props.module.display === 'size'}
        fallback={
          <div class="opts" classList={{ swatches: props.module.display === 'swatch' }}>
            <For each={props.module.options}>
              {(o) => (
                <OptionButton
                  moduleId={props.module.id}
                  optionId={o.id}
                  label={o.label}
                  detail={o.price ? `+${money(o.price, props.cp.product.currency)}` : undefined}
                  swatch={o.swatch}
                  selected={props.value === o.id}
                  availability={availOf(o.id)}
                  moduleLabel={labelOf()}
                  onPick={pick}
                  onBlocked={setBlockedPick}
                />
              )}
            </For>
          </div>
        }
      >
        <SizePicker
          module={props.module}
          value={props.value}
          availability={props.availability}
          moduleLabel={labelOf()}
          onPick={pick}
          onBlocked={setBlockedPick}
        />
      </Show>
      {/* A fixed slot: Chromium lays a whole fieldset out anew when a direct child comes or goes. */}
      <div class="why-slot">
        <Show when={hintedBlocked()}>
          {(h) => (
            <p class="why-inline" data-testid={`why-${props.module.id}`}>
              <strong>{props.module.options.find((o) => o.id === h().id)?.label}:</strong>{' '}
              {whyText(h().a, labelOf())}
            </p>
          )}
        </Show>
      </div>
      <div id={`${headingId()}-msg`} class="module-msg" aria-live="polite">
        <Show when={props.error}>
          <p class="error">{props.error}</p>
        </Show>
        <Show when={blockedOption()}>
          {(o) => (
            <p class="blocked-note">
              <strong>{o().label}</strong> is not available: {whyText(availOf(o().id), labelOf())}{' '}
              <button type="button" class="link" onClick={() => void force(o().id)}>
                Choose {o().label} and adjust the rest
              </button>
            </p>
          )}
        </Show>
      </div>
    </fieldset>
  );
}

function TextControl(props: ModuleControlProps & { module: TextModule }): JSX.Element {
  const id = () => `text-${props.module.id}`;
  const blocked = () => props.availability?.available === false;
  return (
    <div class="module" data-module={props.module.id}>
      <label for={id()}>
        {props.module.label}
        <Show when={!props.module.required}>
          <span class="muted">
            {' '}
            (optional{props.module.price ? `, +${money(props.module.price, props.cp.product.currency)}` : ''})
          </span>
        </Show>
      </label>
      <Show when={props.module.description}>
        <p class="hint" id={`${id()}-hint`}>
          {props.module.description}
        </p>
      </Show>
      <input
        id={id()}
        type="text"
        autocomplete="off"
        autocapitalize="characters"
        spellcheck={false}
        maxLength={props.module.maxLength + 5}
        placeholder={props.module.placeholder}
        value={props.value ?? ''}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={`${id()}-hint ${id()}-err`}
        disabled={blocked() && !props.value}
        onInput={(e) => props.onText(props.module.id, e.currentTarget.value.toUpperCase())}
      />
      <p id={`${id()}-err`} class="error" aria-live="polite">
        {props.error ?? (blocked() ? (props.availability?.reasons ?? []).join(' ') : '')}
      </p>
    </div>
  );
}
