import { createSignal, For, type JSX, Show, untrack } from 'solid-js';
import type { Measurements } from '../api';
import type { CompiledProduct, Selection, SizeRecommendation } from '../engine';

export interface FindMySizeProps {
  cp: CompiledProduct;
  selection: Selection;
  measurements: Measurements | undefined;
  onMeasurements: (m: Measurements) => void;
  onApply: (sizes: Selection) => void;
}

/** Body measurements (in or cm) → the size modules, through the engine's recommendSize. */
export function FindMySize(props: FindMySizeProps): JSX.Element {
  const sizing = () => props.cp.sizing;
  const [unit, setUnit] = createSignal<'in' | 'cm'>(props.measurements?.unit ?? 'in');
  const [values, setValues] = createSignal<Record<string, string>>(
    Object.fromEntries(Object.entries(props.measurements?.values ?? {}).map(([k, v]) => [k, String(v)])),
  );
  const [result, setResult] = createSignal<SizeRecommendation | undefined>();
  const problemFor = (id: string) => result()?.problems.find((p) => p.measurement === id)?.message;

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const nums: Record<string, number> = {};
    for (const [k, v] of Object.entries(values())) {
      const trimmed = v.trim().replace(',', '.');
      if (trimmed !== '') nums[k] = Number(trimmed);
    }
    const m: Measurements = { unit: unit(), values: nums };
    // Loaded on the first submit: most visits never ask for a size.
    const { recommendSize } = await import('../../../catalog/engine/recommend');
    const rec = recommendSize(props.cp, m, props.selection);
    setResult(rec);
    props.onMeasurements(m);
    if (Object.keys(rec.selection).length) props.onApply(rec.selection);
  };

  return (
    <Show when={sizing()}>
      {(s) => (
        // Open on arrival without a size; after that the shopper's toggle decides: following the
        // selection closed it on the recommendation, hiding its advice and the focused button.
        <details class="find-size" open={untrack(() => !props.selection[s().targets[0]?.module ?? ''])}>
          <summary>Find my size</summary>
          <form onSubmit={submit} aria-describedby="fms-help" novalidate>
            <p id="fms-help" class="hint">
              Measure your body, not a garment. We add the ease your fit needs.
            </p>
            <fieldset class="units">
              <legend>Unit</legend>
              <label>
                <input
                  type="radio"
                  name="unit"
                  value="in"
                  checked={unit() === 'in'}
                  onChange={() => setUnit('in')}
                />{' '}
                inches
              </label>
              <label>
                <input
                  type="radio"
                  name="unit"
                  value="cm"
                  checked={unit() === 'cm'}
                  onChange={() => setUnit('cm')}
                />{' '}
                cm
              </label>
            </fieldset>
            <div class="measure-fields">
              <For each={s().measurements}>
                {(m) => (
                  <div class="field">
                    <label for={`measure-${m.id}`}>
                      {m.label} ({unit()})
                    </label>
                    <input
                      id={`measure-${m.id}`}
                      name={m.id}
                      type="number"
                      inputmode="decimal"
                      step="0.1"
                      min="0"
                      value={values()[m.id] ?? ''}
                      aria-invalid={problemFor(m.id) ? 'true' : undefined}
                      aria-describedby={`measure-${m.id}-err`}
                      onInput={(e) => setValues({ ...values(), [m.id]: e.currentTarget.value })}
                    />
                    <p class="error" id={`measure-${m.id}-err`}>
                      {problemFor(m.id) ?? ''}
                    </p>
                  </div>
                )}
              </For>
            </div>
            <button type="submit">Find my size</button>
          </form>
          <div aria-live="polite" class="advice" data-testid="size-advice">
            <Show when={result()}>
              {(r) => (
                <ul>
                  <For each={r().advice}>
                    {(a) => (
                      <li classList={{ warn: a.status !== 'ok' }}>
                        <Show when={a.status === 'out_of_range'}>
                          <strong>Outside our range. </strong>
                        </Show>
                        {a.explanation}
                      </li>
                    )}
                  </For>
                </ul>
              )}
            </Show>
          </div>
        </details>
      )}
    </Show>
  );
}
