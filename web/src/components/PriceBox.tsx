import { Index, type JSX, Show } from 'solid-js';
import type { Price } from '../engine';
import { money } from '../format';

export interface PriceBoxProps {
  price: Price;
  remaining: bigint;
  specCode?: string;
  complete: boolean;
}

/** Total (announced politely to screen readers), its breakdown, what remains, the spec code. */
export function PriceBox(props: PriceBoxProps): JSX.Element {
  return (
    <section class="price-box" aria-labelledby="price-h">
      <h2 id="price-h" class="visually-hidden">
        Price
      </h2>
      <p class="total" aria-live="polite" aria-atomic="true" data-testid="total">
        <Show when={!props.complete}>
          <span class="muted">From </span>
        </Show>
        {money(props.price.total, props.price.currency)}
      </p>
      <details class="breakdown">
        <summary>Price breakdown</summary>
        <ul>
          <Index each={props.price.lines}>
            {(l) => (
              <li>
                <span>{l().label}</span>
                <span>{money(l().amount, props.price.currency)}</span>
              </li>
            )}
          </Index>
        </ul>
      </details>
      <p class="remaining" data-testid="remaining">
        {props.remaining === 1n
          ? 'This is one exact configuration.'
          : `${props.remaining.toLocaleString('en-US')} configurations match your choices.`}
      </p>
      <p class="spec-code">
        Spec code: <code data-testid="spec-code">{props.specCode ?? 'choose every option'}</code>
      </p>
    </section>
  );
}
