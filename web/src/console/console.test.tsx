import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { stubFetch, withRouter } from '../test-utils';
import { ComplaintsView } from './ComplaintsView';
import { CustomersList } from './CustomersView';
import { ParetoChart, StackedBars } from './charts';
import { toCsv } from './csv';
import { OrderDetail } from './OrdersView';
import { SortableTable } from './Table';

interface Row {
  name: string;
  revenue: number;
}
const rows: Row[] = [
  { name: 'Bea', revenue: 300 },
  { name: 'Al', revenue: 1000 },
  { name: 'Cy', revenue: 50 },
];
const realFetch = globalThis.fetch;
const names = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.querySelector('td')?.textContent);

describe('SortableTable', () => {
  it('sorts by a column on click and reverses on a second click, announcing it with aria-sort', () => {
    render(() => (
      <SortableTable
        caption="People"
        csvName="people.csv"
        rows={rows}
        columns={[
          { key: 'name', header: 'Name', value: (r) => r.name },
          { key: 'revenue', header: 'Revenue', value: (r) => r.revenue, numeric: true },
        ]}
      />
    ));
    expect(names()).toEqual(['Bea', 'Al', 'Cy']);
    fireEvent.click(screen.getByRole('button', { name: /Revenue/ }));
    expect(names()).toEqual(['Al', 'Bea', 'Cy']);
    expect(screen.getByRole('columnheader', { name: /Revenue/ }).getAttribute('aria-sort')).toBe(
      'descending',
    );
    fireEvent.click(screen.getByRole('button', { name: /Revenue/ }));
    expect(names()).toEqual(['Cy', 'Bea', 'Al']);
    fireEvent.click(screen.getByRole('button', { name: /Name/ }));
    expect(names()).toEqual(['Al', 'Bea', 'Cy']);
  });
});

describe('CSV', () => {
  it('quotes separators and neutralises formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', '=SUM(A1)'],
          [1, null],
        ],
      ),
    ).toBe('a,b\r\n"x,y",\'=SUM(A1)\r\n1,\r\n');
  });

  it('leaves an amount written as text alone, and still neutralises a formula that starts with -', () => {
    expect(toCsv(['amount', 'name'], [['-5.00', '-2+3']])).toBe("amount,name\r\n-5.00,'-2+3\r\n");
  });
});

describe('charts', () => {
  it('draw labelled SVG with one bar segment per value and the Pareto point', () => {
    const { container } = render(() => (
      <>
        <StackedBars
          title="Per day"
          labels={['2026-01-01', '2026-01-02']}
          series={[
            { name: 'a', color: '#000' },
            { name: 'b', color: '#111' },
          ]}
          values={[
            [1, 2],
            [3, 0],
          ]}
        />
        <ParetoChart
          curve={[
            { customerShare: 0, revenueShare: 0 },
            { customerShare: 1, revenueShare: 1 },
          ]}
          topFraction={0.2}
          topShare={0.6}
        />
      </>
    ));
    expect(screen.getByRole('img', { name: 'Per day' })).toBeTruthy();
    expect(container.querySelectorAll('svg')[0]!.querySelectorAll('rect')).toHaveLength(4);
    expect(screen.getByRole('img', { name: /top 20% of customers bring 60.0% of revenue/ })).toBeTruthy();
  });
});

describe('lists that show only part of what matches', () => {
  const customer = (i: number) => ({
    id: `cus_${i}`,
    name: `Customer ${i}`,
    email: `c${i}@example.com`,
    orders: 1,
    revenue: 100 * i,
    lastOrderAt: null,
    recencyDays: null,
    rfm: '111',
    valueClass: 'C',
    volume: 'low',
    satisfaction: 'medium',
    satisfactionScore: 0.5,
    treatment: 'Improve',
  });
  afterEach(() => {
    cleanup();
    globalThis.fetch = realFetch;
  });

  it('the customers list says when more customers match than it shows (it said "3 rows" of 2,400)', async () => {
    stubFetch({
      'GET /api/admin/customers': () => ({
        status: 200,
        body: { total: 2400, currency: 'USD', items: [1, 2, 3].map(customer) },
      }),
    });
    const { App } = withRouter('/console/customers', () => <CustomersList />);
    render(() => <App />);
    await waitFor(() => expect(screen.getByText(/2400 customers match/)).toBeTruthy());
    expect(screen.getByText(/2400 customers match/).textContent).toMatch(
      /the 3 with the most revenue are shown/,
    );
  });

  it('the complaints list says when it shows only the newest ones', async () => {
    const complaint = (i: number) => ({
      id: `cmp_${i}`,
      orderId: `ord_${i}`,
      category: 'late',
      status: 'resolved',
      message: 'Late',
      contacts: 1,
      resolvedAtFirstContact: true,
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
    });
    let limit = 0;
    const calls = stubFetch({
      'GET /api/admin/complaints?': (_init, url) => {
        limit = Number(new URL(url, 'http://x').searchParams.get('limit'));
        return { status: 200, body: Array.from({ length: limit }, (_, i) => complaint(i)) };
      },
    });
    const { App } = withRouter('/console/complaints?status=all', () => <ComplaintsView />);
    render(() => <App />);
    await waitFor(() => expect(limit).toBeGreaterThan(0));
    await waitFor(() => expect(screen.getByText(new RegExp(`the newest ${limit} are shown`))).toBeTruthy());
    // A conversation is loaded when its case is opened, not all of them with the list.
    expect(calls.filter((c) => c.key.startsWith('GET /api/admin/complaints/'))).toEqual([]);
  });
});

describe('two operators on one complaint', () => {
  afterEach(() => {
    cleanup();
    globalThis.fetch = realFetch;
  });

  it('resolving a case another operator just resolved shows their resolution, not the stale form', async () => {
    const base = {
      id: 'cmp_1',
      orderId: 'ord_1',
      category: 'late',
      message: 'Where is it?',
      contacts: 1,
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
    };
    const open = { ...base, status: 'open', resolvedAtFirstContact: false };
    const resolved = {
      ...base,
      status: 'resolved',
      resolution: 'Refund sent',
      resolvedAtFirstContact: true,
      messages: [
        { author: 'customer', body: 'Where is it?', at: base.createdAt },
        { author: 'operator', body: 'Refund sent', at: base.createdAt },
      ],
    };
    let resolvedByOther = false;
    stubFetch({
      'GET /api/admin/complaints?': () => ({ status: 200, body: [open] }),
      'GET /api/admin/complaints/cmp_1': () => ({
        status: 200,
        body: resolvedByOther
          ? resolved
          : { ...open, messages: [{ author: 'customer', body: 'Where is it?', at: base.createdAt }] },
      }),
      'POST /api/admin/complaints/cmp_1/resolve': () => {
        resolvedByOther = true;
        return {
          status: 409,
          body: { title: 'Conflict', status: 409, detail: 'This complaint is already resolved' },
        };
      },
    });
    const { App } = withRouter('/console/complaints', () => <ComplaintsView />);
    render(() => <App />);
    const summary = await screen.findByText('Open the case');
    summary.closest('details')!.open = true;
    fireEvent(summary.closest('details')!, new Event('toggle'));
    const box = await screen.findByLabelText('Reply or resolution');
    fireEvent.input(box, { target: { value: 'Sending a replacement' } });
    fireEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/already resolved/));
    await waitFor(() => expect(screen.getByText(/Refund sent/)).toBeTruthy());
    expect(screen.queryByRole('button', { name: 'Resolve' })).toBeNull();
  });
});

describe('a cancelled order in the console', () => {
  afterEach(() => {
    cleanup();
    globalThis.fetch = realFetch;
  });

  const detail = (status: string, events: unknown[]) => ({
    order: {
      id: 'ord_1',
      status,
      currency: 'USD',
      total: 12900,
      createdAt: '2026-11-01T10:00:00.000Z',
      threePlId: '3pl-eu',
      threePlRouting: { reason: 'Europe' },
      lines: [],
      events,
    },
    customer: { id: 'cus_1', name: 'Ada', email: 'ada@example.com' },
    deliveries: [],
    remakes: [],
    feedback: [],
    complaints: [],
  });
  const placed = {
    status: 'placed',
    at: '2026-11-01T10:00:00.000Z',
    source: 'customer',
    detail: 'Order placed',
  };

  it('says who cancelled it and when, also after the operator cancels it here', async () => {
    let cancelled = false;
    stubFetch({
      'GET /api/admin/orders/ord_1': () => ({
        status: 200,
        body: cancelled
          ? detail('cancelled', [
              placed,
              {
                status: 'cancelled',
                at: '2026-11-02T09:30:00.000Z',
                source: 'operator',
                detail: 'Cancelled by the shop',
              },
            ])
          : detail('placed', [placed]),
      }),
      'POST /api/admin/orders/ord_1/cancel': () => {
        cancelled = true;
        return { status: 200, body: {} };
      },
    });
    const { App } = withRouter('/console/orders/ord_1', () => <OrderDetail id="ord_1" />);
    render(() => <App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel order' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel the order' }));
    const said = await screen.findByTestId('order-cancelled');
    expect(said.textContent).toBe('Cancelled by the shop (an operator) on 2026-11-02 09:30 UTC.');
  });

  it('says the customer cancelled it', async () => {
    stubFetch({
      'GET /api/admin/orders/ord_1': () => ({
        status: 200,
        body: detail('cancelled', [
          placed,
          {
            status: 'cancelled',
            at: '2026-11-02T09:30:00.000Z',
            source: 'customer',
            detail: 'Cancelled by the customer',
          },
        ]),
      }),
    });
    const { App } = withRouter('/console/orders/ord_1', () => <OrderDetail id="ord_1" />);
    render(() => <App />);
    const said = await screen.findByTestId('order-cancelled');
    expect(said.textContent).toBe('Cancelled by the customer on 2026-11-02 09:30 UTC.');
  });
});
