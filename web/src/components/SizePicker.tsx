import { createEffect, createMemo, createSignal, For, type JSX, on, Show } from 'solid-js';
import type { ModuleAvailability, ProductModule } from '../engine';
import { OptionButton } from './OptionButton';

type ChoiceModule = Extract<ProductModule, { kind: 'choice' }>;

export interface SizePickerProps {
  module: ChoiceModule;
  value: string | undefined;
  availability: ModuleAvailability | undefined;
  moduleLabel: (id: string) => string;
  onPick: (optionId: string) => void;
  onBlocked: (optionId: string) => void;
}

const inch = (n: number) => `${n}″`;

/**
 * A stepped picker for generated size grids. Two-axis sizes (227 waist × hip options) step
 * through the first axis with − / + and a select, then show that row's options; a one-axis
 * size (25 inseams) shows every option with − / + stepping to the neighbour.
 */
export function SizePicker(props: SizePickerProps): JSX.Element {
  const keys = createMemo(() => Object.keys(props.module.options[0]?.attrs ?? {}));
  const grouped = () => keys().length > 1;
  const groupKey = () => keys()[0]!;
  const showKey = () => keys()[keys().length - 1]!;
  const groups = createMemo(() => {
    const map = new Map<number, ChoiceModule['options']>();
    if (!grouped()) return map;
    for (const o of props.module.options) {
      const g = o.attrs?.[groupKey()] ?? 0;
      map.set(g, [...(map.get(g) ?? []), o]);
    }
    return map;
  });
  const groupValues = createMemo(() => [...groups().keys()].sort((a, b) => a - b));
  const byOption = createMemo(() => new Map(props.availability?.options.map((o) => [o.id, o])));
  const availableIds = createMemo(
    () => new Set(props.availability?.options.filter((o) => o.available).map((o) => o.id) ?? []),
  );
  const attrOf = (id: string | undefined) =>
    props.module.options.find((o) => o.id === id)?.attrs?.[groupKey()];
  const fallbackGroup = () =>
    attrOf(props.module.default) ?? groupValues()[Math.floor(groupValues().length / 2)];
  const [chosenGroup, setChosenGroup] = createSignal<number | undefined>();
  // A size set from elsewhere ("Find my size", back/forward, "adjust the rest") shows its own row,
  // not the waist the shopper had stepped to before.
  createEffect(
    on(
      () => props.value,
      () => setChosenGroup(undefined),
      { defer: true },
    ),
  );
  const group = () => chosenGroup() ?? attrOf(props.value) ?? fallbackGroup();
  const rowOptions = () => (grouped() ? (groups().get(group() ?? -1) ?? []) : props.module.options);
  const groupHasAvailable = (g: number) => (groups().get(g) ?? []).some((o) => availableIds().has(o.id));
  const stepGroup = (dir: number) => {
    const vals = groupValues();
    const i = vals.indexOf(group() ?? vals[0]!);
    const next = vals[Math.max(0, Math.min(vals.length - 1, i + dir))];
    if (next !== undefined) setChosenGroup(next);
  };
  const stepOption = (dir: number) => {
    const opts = props.module.options;
    let i = opts.findIndex((o) => o.id === props.value);
    if (i < 0) i = opts.findIndex((o) => o.id === props.module.default);
    for (let j = i + dir; j >= 0 && j < opts.length; j += dir) {
      if (availableIds().has(opts[j]!.id)) return props.onPick(opts[j]!.id);
    }
  };
  const selectId = () => `group-${props.module.id}`;
  const groupLabel = () => groupKey().charAt(0).toUpperCase() + groupKey().slice(1);
  return (
    <div class="size-picker">
      <Show
        when={grouped()}
        fallback={
          <div class="stepper">
            <button
              type="button"
              class="step"
              onClick={() => stepOption(-1)}
              aria-label={`Shorter ${props.module.label}`}
            >
              −
            </button>
            <button
              type="button"
              class="step"
              onClick={() => stepOption(1)}
              aria-label={`Longer ${props.module.label}`}
            >
              +
            </button>
          </div>
        }
      >
        <div class="stepper">
          <label for={selectId()}>{groupLabel()}</label>
          <button
            type="button"
            class="step"
            onClick={() => stepGroup(-1)}
            aria-label={`Smaller ${groupKey()}`}
          >
            −
          </button>
          <select
            id={selectId()}
            value={String(group())}
            onChange={(e) => setChosenGroup(Number(e.currentTarget.value))}
          >
            <For each={groupValues()}>
              {(g) => (
                <option value={String(g)}>
                  {inch(g)}
                  {groupHasAvailable(g) ? '' : ' (not available)'}
                </option>
              )}
            </For>
          </select>
          <button type="button" class="step" onClick={() => stepGroup(1)} aria-label={`Larger ${groupKey()}`}>
            +
          </button>
        </div>
      </Show>
      <fieldset class="opts sizes">
        <legend class="visually-hidden">
          {grouped() ? `${props.module.label} for ${groupKey()} ${inch(group() ?? 0)}` : props.module.label}
        </legend>
        <For each={rowOptions()}>
          {(o) => (
            <OptionButton
              moduleId={props.module.id}
              optionId={o.id}
              label={
                grouped()
                  ? `${showKey().charAt(0).toUpperCase()}${showKey().slice(1)} ${inch(o.attrs?.[showKey()] ?? 0)}`
                  : o.label
              }
              selected={props.value === o.id}
              availability={byOption().get(o.id)}
              moduleLabel={props.moduleLabel}
              onPick={props.onPick}
              onBlocked={props.onBlocked}
            />
          )}
        </For>
      </fieldset>
    </div>
  );
}
