import type { JSX } from 'solid-js';

/**
 * A request that failed for want of the shop (offline, a server error), said in words, with the
 * one thing the shopper can do about it: try again, so a failure never shows as an empty list or
 * a silent button. The lazy pages use it; the pages of the first load (the configurator, the
 * catalog list, SaveSpec, RequireSignIn) write the same markup inline, because importing this there
 * cost 369 B of the initial-JS budget (decision 034).
 */
export function RetryAlert(props: {
  children: JSX.Element;
  onRetry: () => unknown;
  /** The paragraph's class: `error` (red) unless the failure is the whole page's message. */
  class?: string;
  /** `link` for a retry inside running text. */
  buttonClass?: string;
}): JSX.Element {
  return (
    <p class={props.class ?? 'error'} role="alert">
      {props.children}{' '}
      <button type="button" class={props.buttonClass} onClick={() => void props.onRetry()}>
        Try again
      </button>
    </p>
  );
}
