import { useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, type JSX, Show, Suspense } from 'solid-js';
import { ApiError, type Order } from '../api';
import { Link } from '../components/Link';
import { cancellation } from '../components/Timeline';
import { money } from '../format';
import { adminApi, type Delivery, type Loose, type OrderRow } from './api';
import { Failure, ScrollBox, shortDate } from './shared';
import { type Column, SortableTable, units } from './Table';

const STATUSES = ['placed', 'in_production', 'produced', 'shipped', 'delivered', 'cancelled', 'rejected'];

const orderColumns: Column<OrderRow>[] = [
  {
    key: 'id',
    header: 'Order',
    value: (o) => o.id,
    render: (o) => <Link href={`/console/orders/${encodeURIComponent(o.id)}`}>{o.id}</Link>,
  },
  {
    key: 'placed',
    header: 'Placed',
    value: (o) => o.createdAt,
    render: (o) => o.createdAt.slice(0, 16).replace('T', ' '),
  },
  { key: 'customer', header: 'Customer', value: (o) => o.customer.email },
  { key: 'status', header: 'Status', value: (o) => (o.isRemake ? `${o.status} (remake)` : o.status) },
  { key: 'partners', header: 'Partners', value: (o) => [...o.suppliers, o.threePlId].join(', ') },
  {
    key: 'failed',
    header: 'Failed deliveries',
    value: (o) => o.failedDeliveries,
    numeric: true,
    render: (o) => (o.failedDeliveries ? <span class="bad">{o.failedDeliveries}</span> : '0'),
  },
  {
    key: 'total',
    header: 'Total',
    value: (o) => o.total,
    render: (o) => money(o.total, o.currency),
    csv: [
      { header: 'Total', value: (o) => units(o.total) },
      { header: 'Currency', value: (o) => o.currency },
    ],
    numeric: true,
  },
];

export function OrdersList(): JSX.Element {
  const [params, setParams] = useSearchParams<{ q?: string; status?: string; failed?: string }>();
  const [data, { refetch }] = createResource(
    () => ({ q: params.q, status: params.status, failed: params.failed === '1' }),
    (p) => adminApi.orders({ ...p, limit: 200 }),
  );
  let search!: HTMLInputElement;
  return (
    <section aria-labelledby="orders-h">
      <h1 id="orders-h">Orders</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ q: search.value.trim() || undefined });
        }}
      >
        <label>
          Order id, email, name, spec code or tracking number
          <input ref={search} name="q" value={params.q ?? ''} />
        </label>
        <label>
          Status
          <select
            value={params.status ?? ''}
            onChange={(e) => setParams({ status: e.currentTarget.value || undefined })}
          >
            <option value="">any</option>
            <For each={STATUSES}>{(s) => <option value={s}>{s.replace('_', ' ')}</option>}</For>
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="failed"
            checked={params.failed === '1'}
            onChange={(e) => setParams({ failed: e.currentTarget.checked ? '1' : undefined })}
          />
          Only with a failed delivery
        </label>
        <button type="submit">Search</button>
      </form>
      <Suspense fallback={<p>Loading orders…</p>}>
        <Show when={data.error}>
          <Failure error={data.error} retry={() => void refetch()} />
        </Show>
        <Show when={!data.error && data()}>
          {(d) => (
            <>
              <p class="muted">
                {d().total} orders match
                {d().total > d().items.length ? `; the newest ${d().items.length} are shown` : ''}.
              </p>
              <SortableTable caption="Orders" columns={orderColumns} rows={d().items} csvName="orders.csv" />
            </>
          )}
        </Show>
      </Suspense>
    </section>
  );
}

function DeliveryRow(props: { d: Delivery }): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const [note, setNote] = createSignal('');
  // After a redelivery the row says so until the page is reloaded (the dispatcher takes it from there).
  const [requeued, setRequeued] = createSignal(false);
  const status = () => (requeued() ? 'pending' : props.d.status);
  let said!: HTMLSpanElement;
  const redeliver = async () => {
    setBusy(true);
    setNote('');
    try {
      const r = await adminApi.redeliver(props.d.id);
      // To a partner that is disabled or has no URL the delivery waits; the server says why.
      setNote(r.note ? `Queued, but it waits: ${r.note}.` : 'Queued for delivery again.');
      setRequeued(true);
      // The button goes away with the failure; the focus stays in this row, on what happened,
      // instead of falling back to the top of the page.
      said.focus();
    } catch (e) {
      setNote(e instanceof ApiError ? e.readable : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr>
      <td>
        <code>{props.d.eventType}</code>
      </td>
      <td>{props.d.partnerId}</td>
      <td>
        <span classList={{ bad: status() === 'failed', good: status() === 'delivered' }}>{status()}</span>
      </td>
      <td class="num">{props.d.attempts}</td>
      <td>
        {props.d.lastStatusCode ?? ''} {props.d.lastError ?? ''}
      </td>
      <td>
        <details>
          <summary>{props.d.attemptLog.length} attempt(s)</summary>
          <ol class="small-text">
            <For each={props.d.attemptLog}>
              {(a) => (
                <li>
                  {a.startedAt.slice(0, 19).replace('T', ' ')} · {a.outcome} · {a.statusCode ?? a.error ?? ''}{' '}
                  · {a.durationMs} ms
                </li>
              )}
            </For>
          </ol>
        </details>
      </td>
      <td>
        <Show when={status() === 'failed'}>
          <button type="button" class="small" disabled={busy()} onClick={redeliver}>
            Redeliver
          </button>
        </Show>
        <span role="status" class="small-text" tabindex="-1" ref={said}>
          {note()}
        </span>
      </td>
    </tr>
  );
}

export function OrderDetail(props: { id: string }): JSX.Element {
  const [data, { refetch }] = createResource(
    () => props.id,
    (id) => adminApi.order(id),
  );
  const [cancelError, setCancelError] = createSignal('');
  // Cancelling is asked twice: one stray click must not cancel a customer's order and tell its
  // partners. The question starts on "Keep the order".
  const [confirming, setConfirming] = createSignal(false);
  const [cancelled, setCancelled] = createSignal(false);
  let askCancel: HTMLButtonElement | undefined;
  let keep: HTMLButtonElement | undefined;
  let cancelNote: HTMLParagraphElement | undefined;
  const ask = () => {
    setCancelError('');
    setConfirming(true);
    keep?.focus();
  };
  const keepOrder = () => {
    setConfirming(false);
    askCancel?.focus();
  };
  const cancel = async () => {
    setCancelError('');
    try {
      await adminApi.cancelOrder(props.id);
      setCancelled(true);
    } catch (e) {
      setCancelError(e instanceof ApiError ? e.readable : String(e));
    }
    setConfirming(false);
    await refetch();
    // The buttons are gone either way: the focus goes to what happened, not to the page's top.
    cancelNote?.focus();
  };
  return (
    <section>
      <Suspense fallback={<p>Loading order…</p>}>
        <Show when={data.error}>
          <Failure error={data.error} retry={() => void refetch()} />
        </Show>
        <Show when={!data.error && data()}>
          {(d) => {
            const o = () => d().order as Loose;
            return (
              <>
                <h1>
                  Order <code>{o().id}</code>{' '}
                  <span class={`pill status-${o().status}`}>{o().status.replace('_', ' ')}</span>
                </h1>
                <p>
                  <Show when={d().customer}>
                    {(c) => (
                      <>
                        <Link href={`/console/customers/${encodeURIComponent(c().id)}`}>{c().name}</Link> (
                        {c().email}) ·{' '}
                      </>
                    )}
                  </Show>
                  placed {o().createdAt.slice(0, 16).replace('T', ' ')} · {money(o().total, o().currency)} ·
                  ships via <strong>{o().threePlId}</strong>{' '}
                  <span class="muted">({o().threePlRouting?.reason})</span>
                </p>
                <Show when={cancellation(o() as Order)}>
                  {(c) => (
                    <p class="notice" data-testid="order-cancelled">
                      Cancelled by{' '}
                      {c().by === 'shop'
                        ? 'the shop (an operator)'
                        : c().by === 'customer'
                          ? 'the customer'
                          : `someone the event does not name${c().detail ? ` (${c().detail})` : ''}`}{' '}
                      on {c().at.slice(0, 16).replace('T', ' ')} UTC.
                    </p>
                  )}
                </Show>
                <Show when={d().remakeOf}>
                  {(r) => (
                    <p class="notice">
                      Remake of <Link href={`/console/orders/${r().parentOrderId}`}>{r().parentOrderId}</Link>{' '}
                      ({r().reason}
                      {r().detail ? `: ${r().detail}` : ''})
                    </p>
                  )}
                </Show>
                <Show when={(d().remakes as Loose[]).length}>
                  <p class="notice">
                    Remade as{' '}
                    <For each={d().remakes as Loose[]}>
                      {(r) => (
                        <>
                          <Link href={`/console/orders/${r.childOrderId}`}>{r.childOrderId}</Link> ({r.reason}
                          ){' '}
                        </>
                      )}
                    </For>
                  </p>
                </Show>
                <Show
                  when={o().status === 'placed'}
                  fallback={
                    <Show when={!['cancelled'].includes(o().status)}>
                      <p class="muted">
                        This order cannot be cancelled:{' '}
                        {o().status === 'rejected'
                          ? 'the supplier rejected it.'
                          : `a supplier has accepted it (it is ${o().status.replace('_', ' ')}).`}
                      </p>
                    </Show>
                  }
                >
                  <Show
                    when={confirming()}
                    fallback={
                      <button type="button" ref={askCancel} onClick={ask}>
                        Cancel order
                      </button>
                    }
                  >
                    <fieldset class="confirm">
                      <legend>Cancel this order? Its partners are told to stop.</legend>
                      <button type="button" class="danger" onClick={() => void cancel()}>
                        Yes, cancel the order
                      </button>{' '}
                      <button type="button" ref={keep} onClick={keepOrder}>
                        Keep the order
                      </button>
                    </fieldset>
                  </Show>
                </Show>
                <p role="status" tabindex="-1" ref={cancelNote} classList={{ error: !!cancelError() }}>
                  {cancelError() || (cancelled() ? 'Order cancelled; its partners are being told.' : '')}
                </p>
                <h2>Lines</h2>
                <ScrollBox label="Lines">
                  <table class="console-table">
                    <thead>
                      <tr>
                        <th scope="col">Product</th>
                        <th scope="col">Spec code</th>
                        <th scope="col">Supplier and why</th>
                        <th scope="col">Status</th>
                        <th scope="col" class="num">
                          Qty × price
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={o().lines as Loose[]}>
                        {(l) => (
                          <tr>
                            <td>{l.productId}</td>
                            <td>
                              <code>{l.specCode}</code>
                              <div class="small-text muted">
                                {(l.options as Loose[]).map((x) => x.label).join(' · ')}
                              </div>
                            </td>
                            <td>
                              <strong>{l.supplierId}</strong>{' '}
                              <span class="muted small-text">{l.routing?.reason}</span>
                            </td>
                            <td>{l.status}</td>
                            <td class="num">
                              {l.quantity} × {money(l.unitPrice, o().currency)}
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </ScrollBox>
                <h2>Partner deliveries</h2>
                <ScrollBox label="Partner deliveries">
                  <table class="console-table" aria-label="Partner deliveries">
                    <thead>
                      <tr>
                        <th scope="col">Event</th>
                        <th scope="col">Partner</th>
                        <th scope="col">Status</th>
                        <th scope="col" class="num">
                          Attempts
                        </th>
                        <th scope="col">Last answer</th>
                        <th scope="col">Log</th>
                        <th scope="col">Action</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={d().deliveries as Delivery[]}>{(del) => <DeliveryRow d={del} />}</For>
                    </tbody>
                  </table>
                </ScrollBox>
                <h2>Timeline</h2>
                <ol class="timeline-list">
                  <For each={o().events as Loose[]}>
                    {(e) => (
                      <li>
                        <strong>{e.status.replace('_', ' ')}</strong> {e.at.slice(0, 16).replace('T', ' ')}{' '}
                        <span class="muted">{e.source}</span> {e.detail ?? ''}
                      </li>
                    )}
                  </For>
                </ol>
                <Show when={(d().feedback as Loose[]).length || (d().complaints as Loose[]).length}>
                  <h2>Feedback and complaints</h2>
                  <ul class="plain">
                    <For each={d().feedback as Loose[]}>
                      {(f) => (
                        <li>
                          Fit feedback {shortDate(f.createdAt)}: {f.verdict} · {f.decision}
                          <Show when={f.proposal}> · {(f.proposal.summary as string[]).join(' ')}</Show>
                        </li>
                      )}
                    </For>
                    <For each={d().complaints as Loose[]}>
                      {(k) => (
                        <li>
                          Complaint {shortDate(k.createdAt)}: {k.category} · {k.status} · {k.contacts}{' '}
                          contact(s)
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </>
            );
          }}
        </Show>
      </Suspense>
    </section>
  );
}
