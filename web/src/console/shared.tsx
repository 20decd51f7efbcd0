import type { JSX } from 'solid-js';
import { Show } from 'solid-js';
import { ApiError } from '../api';
import { adminToken } from './api';

export const pct = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? '–' : `${(v * 100).toFixed(digits)}%`;

export const shortDate = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '–');

/**
 * An error from a console request, readable; a rejected token sends the operator back to the
 * gate, anything else (the shop restarting, a dropped connection) offers to try again in place:
 * without it the page said "Could not reach the shop" until the browser page was reloaded.
 */
export function Failure(props: { error: unknown; onAuth?: () => void; retry?: () => void }): JSX.Element {
  const e = () => props.error;
  const message = () => (e() instanceof ApiError ? (e() as ApiError).readable : String(e()));
  const unauthorised = () => e() instanceof ApiError && (e() as ApiError).status === 401;
  return (
    <div role="alert" class="error-box">
      <p>{message()}</p>
      <Show when={unauthorised()}>
        <button
          type="button"
          onClick={() => {
            adminToken.clear();
            props.onAuth?.();
            location.reload();
          }}
        >
          Enter another token
        </button>
      </Show>
      <Show when={!unauthorised() && props.retry}>
        {(retry) => (
          <button type="button" onClick={() => retry()()}>
            Try again
          </button>
        )}
      </Show>
    </div>
  );
}

/**
 * A box that scrolls a wide table sideways on a narrow screen, so the page itself never does
 * (at 375 px the order page was 812 px wide and its Redeliver button off-screen). Focusable, so
 * a keyboard can scroll it too.
 */
export function ScrollBox(props: { label: string; children: JSX.Element }): JSX.Element {
  return (
    <section class="table-wrap" aria-label={props.label} tabindex="0">
      {props.children}
    </section>
  );
}

export function Stat(props: { label: string; value: string; note?: string }): JSX.Element {
  return (
    <div class="stat">
      <span class="stat-value">{props.value}</span>
      <span class="stat-label">{props.label}</span>
      <Show when={props.note}>
        <span class="muted small-text">{props.note}</span>
      </Show>
    </div>
  );
}
