import { useSearchParams } from '@solidjs/router';
import { createResource, For, type JSX, Show, Suspense } from 'solid-js';
import { Link } from '../components/Link';
import { money } from '../format';
import { adminApi, type CustomerRow, type Level, type Loose } from './api';
import { HBars, ParetoChart } from './charts';
import { Failure, pct, ScrollBox, Stat, shortDate } from './shared';
import { type Column, SortableTable, units } from './Table';

const LEVELS: Level[] = ['high', 'medium', 'low'];
const STRATEGY_COLOR: Record<string, string> = {
  'personal care': '#dbe7f6',
  partner: '#d8efdf',
  improve: '#fbf0cf',
  correct: '#f7d9d6',
};

/** Value classes, the Pareto curve and the 3 x 3 grid of volume against satisfaction. */
export function CustomersOverviewView(): JSX.Element {
  const [data, { refetch }] = createResource(() => adminApi.customersOverview());
  return (
    <section aria-labelledby="cust-h">
      <h1 id="cust-h">Customers</h1>
      <Suspense fallback={<p>Loading customers…</p>}>
        <Show when={data.error}>
          <Failure error={data.error} retry={() => void refetch()} />
        </Show>
        <Show when={!data.error && data()}>
          {(o) => (
            <>
              <div class="stats">
                <Stat
                  label="customers"
                  value={String(o().customers)}
                  note={`${o().activeCustomers} bought`}
                />
                <Stat label="revenue" value={money(o().revenue, o().currency)} />
                <Stat
                  label={`of revenue from the top ${Math.round(o().pareto.topFraction * 100)}%`}
                  value={pct(o().pareto.topShare)}
                  note={`${o().pareto.topCustomers} customers`}
                />
              </div>
              <div class="chart-row">
                <ParetoChart
                  curve={o().pareto.curve}
                  topFraction={o().pareto.topFraction}
                  topShare={o().pareto.topShare}
                />
                <HBars
                  title="Revenue by value class (A = top customers by value)"
                  items={o().classes.map((c) => ({
                    label: `${c.valueClass} · ${c.customers} customers`,
                    value: c.revenue,
                    note: pct(c.revenueShare, 0),
                  }))}
                  format={(v) => money(v, o().currency)}
                />
              </div>
              <h2>Purchase volume × satisfaction</h2>
              <p class="muted">
                Volume from the value class (A high, B medium, C/D low); satisfaction from fit feedback,
                complaints and remakes. Click a cell for its customers.
              </p>
              <ScrollBox label="Volume against satisfaction">
                <table class="grid3" aria-label="Volume against satisfaction">
                  <thead>
                    <tr>
                      <th scope="col">volume \ satisfaction</th>
                      <For each={LEVELS}>{(s) => <th scope="col">{s}</th>}</For>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={LEVELS}>
                      {(v) => (
                        <tr>
                          <th scope="row">{v}</th>
                          <For each={LEVELS}>
                            {(s) => {
                              const cell = () =>
                                o().grid.find((g) => g.volume === v && g.satisfaction === s)!;
                              return (
                                <td style={{ background: STRATEGY_COLOR[cell().strategy] ?? '#eee' }}>
                                  <Link
                                    href={`/console/customers?volume=${v}&satisfaction=${s}`}
                                    class="cell-link"
                                  >
                                    <span class="cell-count">{cell().customers}</span>
                                    <span class="cell-strategy">{cell().strategy}</span>
                                  </Link>
                                  <span class="cell-action">{cell().treatment}</span>
                                  <span class="muted small-text">{money(cell().revenue, o().currency)}</span>
                                </td>
                              );
                            }}
                          </For>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </ScrollBox>
              <p>
                <Link href="/console/customers">All customers →</Link>
              </p>
            </>
          )}
        </Show>
      </Suspense>
    </section>
  );
}

const customerColumns = (currency: string): Column<CustomerRow>[] => [
  {
    key: 'name',
    header: 'Customer',
    value: (c) => c.name,
    csv: [
      { header: 'Customer', value: (c) => c.name },
      { header: 'Email', value: (c) => c.email },
    ],
    render: (c) => (
      <Link href={`/console/customers/${encodeURIComponent(c.id)}`}>
        {c.name}
        <span class="muted small-text"> {c.email}</span>
      </Link>
    ),
  },
  { key: 'class', header: 'Class', value: (c) => c.valueClass },
  { key: 'rfm', header: 'RFM', value: (c) => c.rfm },
  { key: 'orders', header: 'Orders', value: (c) => c.orders, numeric: true },
  {
    key: 'revenue',
    header: 'Revenue',
    value: (c) => c.revenue,
    render: (c) => money(c.revenue, currency),
    csv: [{ header: `Revenue (${currency})`, value: (c) => units(c.revenue) }],
    numeric: true,
  },
  { key: 'last', header: 'Last order', value: (c) => c.lastOrderAt, render: (c) => shortDate(c.lastOrderAt) },
  { key: 'volume', header: 'Volume', value: (c) => c.volume },
  {
    key: 'satisfaction',
    header: 'Satisfaction',
    value: (c) => c.satisfactionScore,
    render: (c) => c.satisfaction,
    csv: [{ header: 'Satisfaction', value: (c) => c.satisfaction }],
  },
  { key: 'treatment', header: 'Treatment', value: (c) => c.treatment },
];

export function CustomersList(): JSX.Element {
  const [params, setParams] = useSearchParams<{
    q?: string;
    valueClass?: string;
    volume?: string;
    satisfaction?: string;
  }>();
  const [data, { refetch }] = createResource(
    () => ({
      q: params.q,
      valueClass: params.valueClass,
      volume: params.volume,
      satisfaction: params.satisfaction,
    }),
    (p) => adminApi.customers({ ...p, limit: 2000 }),
  );
  let search!: HTMLInputElement;
  return (
    <section aria-labelledby="cl-h">
      <h1 id="cl-h">
        Customers
        <Show when={params.volume || params.satisfaction || params.valueClass}>
          <span class="muted">
            {' '}
            ·{' '}
            {[
              params.valueClass && `class ${params.valueClass}`,
              params.volume && `${params.volume} volume`,
              params.satisfaction && `${params.satisfaction} satisfaction`,
            ]
              .filter(Boolean)
              .join(', ')}
          </span>
        </Show>
      </h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ q: search.value || undefined });
        }}
      >
        <label>
          Search name or email <input ref={search} name="q" value={params.q ?? ''} />
        </label>
        <label>
          Class
          <select
            value={params.valueClass ?? ''}
            onChange={(e) => setParams({ valueClass: e.currentTarget.value || undefined })}
          >
            <option value="">all</option>
            <For each={['A', 'B', 'C', 'D']}>{(c) => <option value={c}>{c}</option>}</For>
          </select>
        </label>
        <button type="submit">Search</button>
        <Show when={params.volume || params.satisfaction || params.valueClass || params.q}>
          <button
            type="button"
            class="link"
            onClick={() =>
              setParams({ q: undefined, valueClass: undefined, volume: undefined, satisfaction: undefined })
            }
          >
            Clear filters
          </button>
        </Show>
      </form>
      <Suspense fallback={<p>Loading…</p>}>
        <Show when={data.error}>
          <Failure error={data.error} retry={() => void refetch()} />
        </Show>
        <Show when={!data.error && data()}>
          {(d) => (
            <>
              {/* The list loads the most valuable customers only; sorting sorts those. */}
              <Show when={d().total > d().items.length}>
                <p class="muted">
                  {d().total} customers match; the {d().items.length} with the most revenue are shown. Search
                  or filter to find the others.
                </p>
              </Show>
              <SortableTable
                caption="Customers"
                columns={customerColumns(d().currency)}
                rows={d().items}
                csvName="customers.csv"
                initialSort={{ key: 'revenue', dir: 'desc' }}
              />
            </>
          )}
        </Show>
      </Suspense>
    </section>
  );
}

/** One place that knows the customer. */
export function CustomerPage(props: { id: string }): JSX.Element {
  const [data, { refetch }] = createResource(
    () => props.id,
    (id) => adminApi.customer(id),
  );
  return (
    <section>
      <Suspense fallback={<p>Loading…</p>}>
        <Show when={data.error}>
          <Failure error={data.error} retry={() => void refetch()} />
        </Show>
        <Show when={!data.error && data()}>
          {(d) => {
            const c = () => d().customer as CustomerRow & { signals: Loose };
            return (
              <>
                <h1>
                  {c().name} <span class="muted">{c().email}</span>
                </h1>
                <div class="stats">
                  <Stat label="value class" value={c().valueClass} note={`RFM ${c().rfm}`} />
                  <Stat
                    label="orders"
                    value={String(c().orders)}
                    note={`last ${shortDate(c().lastOrderAt)}`}
                  />
                  <Stat label="revenue" value={money(c().revenue, d().currency)} />
                  <Stat
                    label="grid cell"
                    value={`${c().volume} / ${c().satisfaction}`}
                    note={`score ${c().satisfactionScore}`}
                  />
                </div>
                <p class="treatment">
                  <strong>Suggested treatment:</strong> {c().treatment}
                </p>
                <h2>Specs</h2>
                <ul class="plain">
                  <For each={d().specs as Loose[]} fallback={<li class="muted">No saved specs.</li>}>
                    {(s) => (
                      <li>
                        <strong>{s.name}</strong> <code>{s.specCode}</code> · version {s.version}
                        <ul>
                          <For each={s.versions as Loose[]}>
                            {(v) => (
                              <li class="small-text">
                                v{v.version} {shortDate(v.createdAt)} <code>{v.specCode}</code>
                                <Show when={v.causedBy}>
                                  {' '}
                                  ← feedback on{' '}
                                  <Link href={`/console/orders/${v.causedBy.orderId}`}>
                                    {v.causedBy.orderId}
                                  </Link>
                                </Show>
                              </li>
                            )}
                          </For>
                        </ul>
                      </li>
                    )}
                  </For>
                </ul>
                <h2>Orders</h2>
                <SortableTable
                  caption="Orders"
                  csvName={`orders-${c().id}.csv`}
                  rows={d().orders.items as Loose[]}
                  columns={[
                    {
                      key: 'id',
                      header: 'Order',
                      value: (o: Loose) => o.id,
                      render: (o: Loose) => <Link href={`/console/orders/${o.id}`}>{o.id}</Link>,
                    },
                    {
                      key: 'date',
                      header: 'Placed',
                      value: (o: Loose) => o.createdAt,
                      render: (o: Loose) => shortDate(o.createdAt),
                    },
                    {
                      key: 'status',
                      header: 'Status',
                      value: (o: Loose) => (o.isRemake ? `${o.status} (remake)` : o.status),
                    },
                    {
                      key: 'total',
                      header: 'Total',
                      value: (o: Loose) => o.total,
                      render: (o: Loose) => money(o.total, o.currency),
                      csv: [
                        { header: 'Total', value: (o: Loose) => units(o.total) },
                        { header: 'Currency', value: (o: Loose) => o.currency },
                      ],
                      numeric: true,
                    },
                  ]}
                />
                <h2>Fit feedback</h2>
                <ul class="plain">
                  <For each={d().feedback as Loose[]} fallback={<li class="muted">None yet.</li>}>
                    {(f) => (
                      <li>
                        {shortDate(f.createdAt)} · {f.productId} ·{' '}
                        {Object.entries(f.answers as Record<string, string>)
                          .filter(([, a]) => a !== 'right')
                          .map(([k, a]) => `${k} ${a.replace('_', ' ')}`)
                          .join(', ') || 'all right'}{' '}
                        · <em>{f.decision}</em>
                        <Show when={f.comment}> · “{f.comment}”</Show>
                      </li>
                    )}
                  </For>
                </ul>
                <h2>Complaints</h2>
                <ul class="plain">
                  <For each={d().complaints as Loose[]} fallback={<li class="muted">None.</li>}>
                    {(k) => (
                      <li>
                        {shortDate(k.createdAt)} · <strong>{k.category}</strong> · {k.status} · {k.contacts}{' '}
                        contact(s)
                        <Show when={k.resolution}> · {k.resolution}</Show>
                      </li>
                    )}
                  </For>
                </ul>
              </>
            );
          }}
        </Show>
      </Suspense>
    </section>
  );
}
