import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cart } from '../stores/cart';
import { session } from '../stores/session';
import { stubFetch, withRouter } from '../test-utils';
import CheckoutPage from './CheckoutPage';

const realFetch = globalThis.fetch;
const quote = () => ({
  status: 200,
  body: { valid: true, specCode: 'JN-1', price: { currency: 'USD', total: 12900, lines: [] } },
});

beforeEach(() => {
  localStorage.clear();
  session.set({ id: 'usr_1', email: 'ada@example.com', name: 'Ada' });
  cart.clear();
  for (const k of ['name', 'line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const)
    cart.setShipTo(k, '');
  cart.add({ productId: 'jeans', productName: 'Jeans', selection: { fit: 'slim' }, specCode: 'JN-1' });
});
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
  session.set(undefined);
  cart.clear();
});

function setup() {
  const { App } = withRouter('/checkout', () => <CheckoutPage />);
  render(() => <App />);
}

/** The address form filled in with a valid French address. */
function fillAddress() {
  const fill = (label: string, value: string) =>
    fireEvent.input(screen.getByLabelText(label), { target: { value } });
  fill('Full name', 'Ada');
  fill('Address', '1 Loop Street');
  fill('City', 'Lyon');
  fill('Postal code', '69001');
  fireEvent.change(screen.getByLabelText('Country'), { target: { value: 'FR' } });
}

/** The quote of a cart line whose fabric the shop no longer makes. */
const retiredFabric = () => ({
  status: 422,
  body: {
    title: 'The configuration is not valid',
    status: 422,
    errors: [
      { path: 'fabric', code: 'unknown_option', message: 'Fabric: "light-9" is not an option (any more).' },
    ],
  },
});

describe('checkout address', () => {
  it('says in words which fields are missing, without sending the order', async () => {
    const calls = stubFetch({ 'POST /api/quote': quote });
    setup();
    fireEvent.input(screen.getByLabelText('City'), { target: { value: 'Lyon' } });
    fireEvent.click(screen.getByRole('button', { name: 'Place order' }));
    await waitFor(() => expect(screen.getByLabelText('Full name').getAttribute('aria-invalid')).toBe('true'));
    const errorOf = (label: string) =>
      document.getElementById(screen.getByLabelText(label).getAttribute('aria-describedby')!)!.textContent;
    expect(errorOf('Full name')).toBe('Enter the name of the person receiving the parcel.');
    expect(errorOf('Address')).toBe('Enter the street address.');
    expect(errorOf('City')).toBe('');
    expect(errorOf('Postal code')).toBe('Enter the postal code.');
    expect(errorOf('Country')).toBe('Choose a country.');
    expect(document.activeElement).toBe(screen.getByLabelText('Full name'));
    expect(calls.some((c) => c.key === 'POST /api/orders')).toBe(false);
    // Typing in a field clears its message.
    fireEvent.input(screen.getByLabelText('Full name'), { target: { value: 'Ada' } });
    await waitFor(() => expect(errorOf('Full name')).toBe(''));
  });

  it('puts the server’s refusal of a field into words, not a schema message', async () => {
    stubFetch({
      'POST /api/quote': quote,
      'POST /api/orders': () => ({
        status: 422,
        body: {
          title: 'The request is not valid',
          status: 422,
          errors: [
            {
              path: 'shipTo.postalCode',
              code: 'too_small',
              message: 'Too small: expected string to have >=1 characters',
            },
            {
              path: 'shipTo.country',
              code: 'invalid_format',
              message: 'an ISO 3166-1 alpha-2 code such as US or DE',
            },
          ],
        },
      }),
    });
    setup();
    fillAddress();
    fireEvent.click(screen.getByRole('button', { name: 'Place order' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Postal code').getAttribute('aria-invalid')).toBe('true'),
    );
    expect(document.body.textContent).not.toMatch(/expected string|ISO 3166/);
    expect(document.body.textContent).toContain('Enter the postal code.');
    expect(document.body.textContent).toContain('Choose a country.');
  });
});

describe('checkout when something is wrong', () => {
  it('a server or proxy error says the order can be sent again safely, not only "Request failed (502)"', async () => {
    stubFetch({ 'POST /api/quote': quote, 'POST /api/orders': () => ({ status: 502 }) });
    setup();
    fillAddress();
    fireEvent.click(screen.getByRole('button', { name: 'Place order' }));
    const alert = await screen.findByText(/Place order/, { selector: '[role="alert"]' });
    expect(alert.textContent).toMatch(/again/);
    expect(alert.textContent).toMatch(/once/);
  });

  it('an item the shop no longer makes: the total says it cannot be priced, not "pricing…" for ever', async () => {
    stubFetch({ 'POST /api/quote': retiredFabric });
    setup();
    await screen.findByText(/is not an option/, { selector: '.line-price *' });
    await waitFor(() => expect(document.querySelector('.cart-total')!.textContent).not.toMatch(/pricing/));
    expect(document.querySelector('.cart-total')!.textContent).toMatch(/remove|change/i);
  });

  it('an item the shop no longer makes links back to the configurator with its choices, to fix it', async () => {
    stubFetch({ 'POST /api/quote': retiredFabric });
    setup();
    const fix = await screen.findByRole('link', { name: 'Change it in the configurator (Jeans)' });
    const href = new URL(fix.getAttribute('href')!, 'http://shop');
    expect(href.pathname).toBe('/p/jeans');
    expect(href.searchParams.get('fit')).toBe('slim');
    expect(href.searchParams.get('line')).toBe(cart.state.lines[0]!.key);
  });

  it('a line the shop prices has no such link', async () => {
    stubFetch({ 'POST /api/quote': quote });
    setup();
    await screen.findByText('$129.00', { selector: '.line-price' });
    expect(screen.queryByRole('link', { name: /Change it in the configurator/ })).toBeNull();
  });
});
