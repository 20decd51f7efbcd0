import { type JSX, Show } from 'solid-js';
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
 * accessible description and, while hovered or focused, shown under the module (a floating
 * tooltip would be clipped by the modules' paint containment). The description is a `hidden`
 * span beside the button, always there and always referenced (empty while the option is
 * available): aria-describedby reads hidden elements it points at, and a hidden span has no box,
 * so a reason coming or going costs no layout, paint or layer (docs/decisions/035).
 */
export function OptionButton(props: OptionButtonProps): JSX.Element {
  const blocked = () => props.availability?.available === false;
  // An option's module and id never change: set once, not in the effect each pick re-runs.
  const whyId = `why-${props.moduleId}-${props.optionId}`;
  return [
    <button
      type="button"
      class="opt"
      classList={{ swatch: !!props.swatch, selected: props.selected, blocked: blocked() }}
      aria-pressed={props.selected}
      aria-disabled={blocked() ? 'true' : undefined}
      aria-describedby={whyId}
      data-option={/*@once*/ props.optionId}
      onClick={() => (blocked() ? props.onBlocked(props.optionId) : props.onPick(props.optionId))}
    >
      <Show when={props.swatch}>
        <span class="chip" style={{ background: props.swatch }} aria-hidden="true" />
      </Show>
      <span class="opt-label">{props.label}</span>
      <Show when={props.detail}>
        <span class="opt-detail">{props.detail}</span>
      </Show>
    </button>,
    <span hidden id={whyId}>
      {whyText(props.availability, props.moduleLabel)}
    </span>,
  ];
}
