import { useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, type JSX, Show, Suspense } from 'solid-js';
import { ApiError } from '../api';
import { Link } from '../components/Link';
import { adminApi, COMPLAINT_LIST_LIMIT, type ComplaintRow } from './api';
import { Failure, shortDate } from './shared';
import { type Column, SortableTable } from './Table';

const CATEGORIES = ['damaged', 'late', 'wrong_item', 'fit', 'quality', 'billing', 'question', 'other'];

/** Reply to a complaint and record how it was resolved. */
function ComplaintCase(props: { complaint: ComplaintRow; onResolved: () => void }): JSX.Element {
  const [detail, { mutate, refetch: reload }] = createResource(
    () => props.complaint.id,
    (cid) => adminApi.complaint(cid),
  );
  // A failed load must not be read (a resource in error throws, and nothing here catches it).
  const current = () => (detail.error ? undefined : detail());
  const [text, setText] = createSignal('');
  const [error, setError] = createSignal('');
  const act = async (kind: 'reply' | 'resolve') => {
    setError('');
    try {
      const next =
        kind === 'reply'
          ? await adminApi.replyComplaint(props.complaint.id, text())
          : await adminApi.resolveComplaint(props.complaint.id, text());
      mutate(next);
      setText('');
      if (kind === 'resolve') props.onResolved();
    } catch (e) {
      setError(e instanceof ApiError ? e.readable : String(e));
      // Another operator resolved it meanwhile: show the case as it is now (their resolution,
      // no form), not the stale one still offering Reply and Resolve.
      if (e instanceof ApiError && e.status === 409) void reload();
    }
  };
  return (
    <div class="case">
      {/* Without it a failed load looked like a case nobody had written in yet. */}
      <Show when={detail.error}>
        <Failure error={detail.error} retry={() => void reload()} />
      </Show>
      <ol class="small-text">
        <For each={current()?.messages ?? []}>
          {(m) => (
            <li>
              <strong>{m.author}</strong> {m.at.slice(0, 16).replace('T', ' ')}: {m.body}
            </li>
          )}
        </For>
      </ol>
      <Show when={(current() ?? props.complaint).status === 'open'}>
        <label>
          Reply or resolution
          <textarea rows="2" value={text()} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <button type="button" class="small" disabled={!text().trim()} onClick={() => void act('reply')}>
          Reply
        </button>{' '}
        <button type="button" class="small" disabled={!text().trim()} onClick={() => void act('resolve')}>
          Resolve
        </button>
      </Show>
      <Show when={error()}>
        <p role="alert" class="error">
          {error()}
        </p>
      </Show>
    </div>
  );
}

export function ComplaintsView(): JSX.Element {
  const [params, setParams] = useSearchParams<{ status?: string; category?: string }>();
  const [data, { refetch }] = createResource(
    () => ({ status: params.status ?? 'open', category: params.category }),
    (p) => adminApi.complaints({ status: p.status === 'all' ? undefined : p.status, category: p.category }),
  );
  const columns: Column<ComplaintRow>[] = [
    { key: 'date', header: 'Opened', value: (k) => k.createdAt, render: (k) => shortDate(k.createdAt) },
    { key: 'category', header: 'Category', value: (k) => k.category },
    {
      key: 'customer',
      header: 'Customer',
      value: (k) => k.customer?.email,
      render: (k) => (
        <Show when={k.customer} fallback="–">
          {(c) => <Link href={`/console/customers/${encodeURIComponent(c().id)}`}>{c().name}</Link>}
        </Show>
      ),
    },
    {
      key: 'order',
      header: 'Order',
      value: (k) => k.orderId,
      render: (k) => <Link href={`/console/orders/${k.orderId}`}>{k.orderId}</Link>,
    },
    { key: 'status', header: 'Status', value: (k) => k.status },
    { key: 'contacts', header: 'Contacts', value: (k) => k.contacts, numeric: true },
    { key: 'message', header: 'Message', value: (k) => k.message },
    {
      key: 'case',
      header: 'Conversation',
      value: (k) => k.resolution ?? '',
      render: (k) => {
        // The conversation loads when the case is first opened: mounted with the row, every case
        // of the list asked for its own (500 requests for "all").
        const [opened, setOpened] = createSignal(false);
        return (
          <details onToggle={(e) => e.currentTarget.open && setOpened(true)}>
            <summary>{k.status === 'open' ? 'Open the case' : (k.resolution ?? 'resolved')}</summary>
            <Show when={opened()}>
              <ComplaintCase complaint={k} onResolved={() => void refetch()} />
            </Show>
          </details>
        );
      },
    },
  ];
  return (
    <section aria-labelledby="cmp-h">
      <h1 id="cmp-h">Complaints</h1>
      <div class="filters">
        <label>
          Status
          <select
            value={params.status ?? 'open'}
            onChange={(e) => setParams({ status: e.currentTarget.value })}
          >
            <option value="open">open</option>
            <option value="resolved">resolved</option>
            <option value="all">all</option>
          </select>
        </label>
        <label>
          Category
          <select
            value={params.category ?? ''}
            onChange={(e) => setParams({ category: e.currentTarget.value || undefined })}
          >
            <option value="">any</option>
            <For each={CATEGORIES}>{(c) => <option value={c}>{c.replace('_', ' ')}</option>}</For>
          </select>
        </label>
      </div>
      <Suspense fallback={<p>Loading complaints…</p>}>
        <Show when={data.error}>
          <Failure error={data.error} retry={() => void refetch()} />
        </Show>
        <Show when={data.loading && !data.latest}>
          <p>Loading complaints…</p>
        </Show>
        {/* latest: a refetch after resolving keeps the table on screen instead of suspending */}
        <Show when={!data.error && data.latest}>
          {(rows) => (
            <>
              {/* Without it "all" showed 500 of 1,528 complaints as if they were all there were. */}
              <Show when={rows().length >= COMPLAINT_LIST_LIMIT}>
                <p class="muted">
                  More complaints match; the newest {rows().length} are shown. Choose a status or a category
                  to see older ones.
                </p>
              </Show>
              <SortableTable caption="Complaints" columns={columns} rows={rows()} csvName="complaints.csv" />
            </>
          )}
        </Show>
      </Suspense>
    </section>
  );
}
