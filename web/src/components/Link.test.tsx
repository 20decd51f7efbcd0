import { cleanup, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { withRouter } from '../test-utils';
import { Link } from './Link';

afterEach(() => {
  cleanup();
});

const nav = () => (
  <nav>
    <Link href="/" end>
      Shop
    </Link>
    <Link href="/orders">My orders</Link>
    <Link href="/console/customers?volume=high" class="cell-link">
      Cell
    </Link>
  </nav>
);

describe('Link (what <A> showed, without its prop spread)', () => {
  it('marks the page it names as current and active, and pages under it as active', () => {
    const { App } = withRouter('/orders', nav);
    render(() => <App />);
    const orders = screen.getByRole('link', { name: 'My orders' });
    expect(orders.getAttribute('aria-current')).toBe('page');
    expect(orders.classList.contains('active')).toBe(true);
    const shop = screen.getByRole('link', { name: 'Shop' });
    expect(shop.getAttribute('aria-current')).toBeNull();
    expect(shop.classList.contains('active')).toBe(false);
  });

  it('`end` keeps "/" inactive below it; a page below only makes its parent active', () => {
    const { App } = withRouter('/orders/o1', nav);
    render(() => <App />);
    const orders = screen.getByRole('link', { name: 'My orders' });
    expect(orders.classList.contains('active')).toBe(true);
    expect(orders.getAttribute('aria-current')).toBeNull();
    expect(screen.getByRole('link', { name: 'Shop' }).classList.contains('active')).toBe(false);
  });

  it('keeps its own class and compares the path without the query', () => {
    const { App } = withRouter('/console/customers', nav);
    render(() => <App />);
    const cell = screen.getByRole('link', { name: 'Cell' });
    expect(cell.getAttribute('href')).toBe('/console/customers?volume=high');
    expect(cell.className).toBe('cell-link active');
    expect(cell.getAttribute('aria-current')).toBe('page');
  });
});
