import { For, type JSX, Show } from 'solid-js';
import type { Order } from '../api';
import { dateTime } from '../format';

const STEPS: Array<{ status: string; label: string }> = [
  { status: 'placed', label: 'Placed' },
  { status: 'in_production', label: 'In production' },
  { status: 'produced', label: 'Produced' },
  { status: 'shipped', label: 'Shipped' },
  { status: 'delivered', label: 'Delivered' },
];

export const STATUS_LABEL: Record<string, string> = {
  placed: 'Placed',
  in_production: 'In production',
  produced: 'Produced',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  rejected: 'Rejected',
};

/**
 * What a remembered choice's change (`ModuleChange.why`: spec validity, reorder drafts) means, in
 * the shop's words; kept beside the status words because both pages that show changes (My specs,
 * Order again) already load this module, while a module of its own cost the first page load bytes.
 */
export const CHANGE_WORDS: Record<string, string> = {
  retired: 'no longer offered',
  conflict: 'no longer combines with the rest',
  new_module: 'new choice',
  module_retired: 'no longer a choice',
  text_invalid: 'no longer accepted',
  text_required: 'now required',
};

function detailText(detail: unknown): string | undefined {
  if (detail === undefined || detail === null) return undefined;
  if (typeof detail === 'string') return detail;
  if (typeof detail === 'object') {
    const d = detail as Record<string, unknown>;
    const reason = d.reason ?? d.message ?? d.note;
    if (typeof reason === 'string') return reason;
  }
  return undefined;
}

/**
 * Who cancelled the order and when, from its `cancelled` event: the shop (the event's source is
 * `operator`), the customer, or someone the event does not name (`detail` then says what it can).
 */
export function cancellation(
  order: Pick<Order, 'status' | 'events'>,
): { by: 'shop' | 'customer' | 'unknown'; at: string; detail?: string } | undefined {
  if (order.status !== 'cancelled') return undefined;
  const e = order.events.findLast((x) => x.status === 'cancelled');
  if (!e) return undefined;
  const by = e.source === 'operator' ? 'shop' : e.source === 'customer' ? 'customer' : 'unknown';
  const detail = detailText(e.detail);
  return { by, at: e.at, ...(detail ? { detail } : {}) };
}

/** The order's way from placed to delivered, or to where it stopped (cancelled, rejected). */
export function Timeline(props: { order: Order }): JSX.Element {
  const eventFor = (status: string) => props.order.events.find((e) => e.status === status);
  const index = () => STEPS.findIndex((s) => s.status === props.order.status);
  const reached = (i: number) => {
    if (eventFor(STEPS[i]!.status)) return true;
    return index() >= i;
  };
  const stopped = () =>
    props.order.status === 'rejected' || props.order.status === 'cancelled'
      ? (eventFor(props.order.status) ?? { status: props.order.status, at: '' })
      : undefined;
  return (
    <ol class="timeline" aria-label="Order progress">
      <For each={STEPS}>
        {(step, i) => (
          <Show when={!stopped() || reached(i())}>
            <li
              classList={{ done: reached(i()), current: props.order.status === step.status }}
              data-status={step.status}
            >
              <span class="dot" aria-hidden="true" />
              <div>
                <strong>{step.label}</strong>
                <Show when={reached(i())} fallback={<span class="visually-hidden"> (not yet)</span>}>
                  <Show when={eventFor(step.status)}>
                    {(e) => <span class="muted"> · {dateTime(e().at)}</span>}
                  </Show>
                </Show>
                <Show when={step.status === 'shipped' && reached(i()) && props.order.shipments.length}>
                  <ul class="shipments">
                    <For each={props.order.shipments}>
                      {(s) => (
                        <li>
                          {s.carrier}, tracking{' '}
                          <Show when={s.trackingUrl} fallback={<code>{s.trackingNumber}</code>}>
                            {(url) => (
                              <a href={url()} target="_blank" rel="noopener noreferrer">
                                {s.trackingNumber}
                              </a>
                            )}
                          </Show>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </div>
            </li>
          </Show>
        )}
      </For>
      <Show when={stopped()}>
        {(e) => (
          <li class="stopped current" data-status={e().status}>
            <span class="dot" aria-hidden="true" />
            <div>
              <strong>{STATUS_LABEL[e().status]}</strong>
              <Show when={e().at}>
                <span class="muted"> · {dateTime(e().at)}</span>
              </Show>
              <Show
                when={cancellation(props.order)}
                fallback={
                  <Show when={detailText(e().detail)}>{(d) => <p class="reason">Reason: {d()}</p>}</Show>
                }
              >
                {(c) => (
                  <p class="reason">
                    {c().by === 'shop'
                      ? 'Cancelled by the shop'
                      : c().by === 'customer'
                        ? 'Cancelled by you'
                        : (c().detail ?? 'Cancelled')}
                  </p>
                )}
              </Show>
            </div>
          </li>
        )}
      </Show>
    </ol>
  );
}
