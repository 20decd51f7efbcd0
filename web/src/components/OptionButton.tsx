import { For, type JSX, Show } from 'solid-js';
import type { OptionAvailability } from '../engine';

export interface OptionButtonProps {
  moduleId: string;
  optionId: string;
  label: string;
  /** Shown under the label: a price difference, a description. */
  detail?: string;
  swatch?: string;
  selected: boolean;
  availability?: OptionAvailability;
  /** Module labels by id, to say what to change. */
  moduleLabel: (id: string) => string;
  onPick: (optionId: string) => void;
  onBlocked: (optionId: string) => void;
}

/** The id of the element that says why an option is blocked (rendered by `BlockedReasons`). */
export const whyId = (moduleId: string, optionId: string) => `why-${moduleId}-${optionId}`;

export function whyText(a: OptionAvailability | undefined, moduleLabel: (id: string) => string): string {
  if (!a || a.available) return '';
  const reasons = a.reasons?.length ? a.reasons.join(' ') : 'Not possible with your other choices.';
  // The engine's reasons may already say what to change; do not say it twice.
  const change =
    a.change?.length && !/\bchange\b/i.test(reasons)
      ? ` Change ${a.change.map(moduleLabel).join(' or ')} to unlock it.`
      : '';
  return reasons + change;
}

/**
 * One option. An unavailable option stays visible and focusable (aria-disabled, not disabled)
 * so hovering or focusing it can say which rule blocks it and what to change: the reason is its
 * accessible description (an element of the module's `BlockedReasons`) and, while hovered or
 * focused, shown under the module (a floating tooltip would be clipped by the modules' paint
 * containment).
 */
export function OptionButton(props: OptionButtonProps): JSX.Element {
  const blocked = () => props.availability?.available === false;
  return (
    <button
      type="button"
      class="opt"
      classList={{ swatch: !!props.swatch, selected: props.selected, blocked: blocked() }}
      aria-pressed={props.selected}
      aria-disabled={blocked() ? 'true' : undefined}
      aria-describedby={blocked() ? whyId(props.moduleId, props.optionId) : undefined}
      data-option={props.optionId}
      onClick={() => (blocked() ? props.onBlocked(props.optionId) : props.onPick(props.optionId))}
    >
      <Show when={props.swatch}>
        <span class="chip" style={{ background: props.swatch }} aria-hidden="true" />
      </Show>
      <span class="opt-label">{props.label}</span>
      <Show when={props.detail}>
        <span class="opt-detail">{props.detail}</span>
      </Show>
    </button>
  );
}

/**
 * The reasons of a module's blocked options, each the accessible description of its option.
 * Kept together in one visually hidden box, so a reason coming or going never moves or
 * re-lays out the option buttons themselves.
 */
export function BlockedReasons(props: {
  moduleId: string;
  /** Ids of the blocked options shown right now. */
  ids: string[];
  text: (optionId: string) => string;
}): JSX.Element {
  return (
    <div class="visually-hidden">
      <For each={props.ids}>{(id) => <span id={whyId(props.moduleId, id)}>{props.text(id)}</span>}</For>
    </div>
  );
}
