import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cart } from '../stores/cart';
import { catalogStore } from '../stores/catalog';
import { session } from '../stores/session';
import { loaded, stubFetch, withRouter } from '../test-utils';
import ConfiguratorPage, { Configurator } from './ConfiguratorPage';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
  globalThis.fetch = realFetch;
  session.set(undefined);
  catalogStore.clear();
});

const plain =
  'size=w34-h42&inseam=l32&fit=straight&rise=mid&fabric=classic-12&stretch=none&wash=rinse&hem=standard';

function setup(url: string, id: 'jeans' | 'shirt' = 'jeans', product = loaded(id)) {
  const { App } = withRouter(url, () => <Configurator loaded={product} />);
  render(() => <App />);
}
const moduleBox = (id: string) => document.querySelector(`[data-module="${id}"]`) as HTMLElement;
const option = (mod: string, opt: string) =>
  moduleBox(mod).querySelector(`[data-option="${opt}"]`) as HTMLButtonElement;

describe('configurator', () => {
  it('reproduces a configuration from the URL: price, spec code, two completions left (with or without a monogram)', () => {
    setup(`/p/jeans?${plain}`);
    expect(screen.getByTestId('total').textContent).toContain('$129.00');
    expect(screen.getByTestId('spec-code').textContent).toMatch(/^JN-34\/42-32-STR-MID-CL12-NS-RNS-STD-?$/);
    expect(screen.getByTestId('remaining').textContent).toMatch(/^2 configurations/);
    expect(option('fit', 'straight').getAttribute('aria-pressed')).toBe('true');
  });

  it('a pick updates the price live and writes the choice to the URL', async () => {
    setup(`/p/jeans?${plain}`);
    fireEvent.click(option('fabric', 'selvedge-14'));
    await waitFor(() => expect(window.location.search).toContain('fabric=selvedge-14'));
    expect(screen.getByTestId('total').textContent).toContain('$189.00');
    expect(screen.getByTestId('total').getAttribute('aria-live')).toBe('polite');
  });

  it('keeps an unavailable option visible, disabled, and says which rule blocks it and what to change', async () => {
    setup(`/p/jeans?${plain}`);
    const skinny = option('fit', 'skinny');
    expect(skinny.getAttribute('aria-disabled')).toBe('true');
    const why = document.getElementById(skinny.getAttribute('aria-describedby')!)!;
    expect(why.textContent).toMatch(/skinny fit needs stretch/i);
    expect(why.textContent).toMatch(/change Stretch/i);
    fireEvent.click(skinny);
    const note = await within(moduleBox('fit')).findByText(/is not available/);
    expect(note.textContent).toMatch(/needs stretch/);
    // The shopper can take it anyway: the engine adjusts the modules in the way.
    fireEvent.click(within(moduleBox('fit')).getByRole('button', { name: /Choose Skinny and adjust/ }));
    await waitFor(() => expect(option('fit', 'skinny').getAttribute('aria-pressed')).toBe('true'));
    expect(option('stretch', 'none').getAttribute('aria-pressed')).toBe('false');
  });

  it('finds a size from measurements in cm and explains it; an impossible body is refused gracefully', async () => {
    setup('/p/jeans?fit=straight&rise=mid');
    fireEvent.click(screen.getByLabelText('cm'));
    fireEvent.input(screen.getByLabelText('Waist (cm)'), { target: { value: '84' } });
    fireEvent.input(screen.getByLabelText('Hip (cm)'), { target: { value: '100' } });
    fireEvent.input(screen.getByLabelText('Inseam (cm)'), { target: { value: '81' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find my size' }));
    // The advice comes once the recommender is loaded (on the first submit), the address a frame later.
    await waitFor(() => expect(screen.getByTestId('size-advice').textContent).toMatch(/Waist/));
    await waitFor(() => expect(window.location.search).toMatch(/size=w\d+-h\d+/));
    expect(window.location.search).toMatch(/inseam=l3\d/);

    fireEvent.click(screen.getByLabelText('inches'));
    fireEvent.input(screen.getByLabelText('Waist (in)'), { target: { value: '400' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find my size' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Waist (in)').getAttribute('aria-invalid')).toBe('true'),
    );
  });

  it('keeps "Find my size" open after it picks a size, so its explanation stays on screen', async () => {
    setup('/p/jeans?fit=straight&rise=mid');
    const panel = document.querySelector('details.find-size') as HTMLDetailsElement;
    expect(panel.open).toBe(true);
    fireEvent.input(screen.getByLabelText('Waist (in)'), { target: { value: '33' } });
    fireEvent.input(screen.getByLabelText('Hip (in)'), { target: { value: '40' } });
    fireEvent.input(screen.getByLabelText('Inseam (in)'), { target: { value: '32' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find my size' }));
    await waitFor(() => expect(window.location.search).toMatch(/size=w\d+-h\d+/));
    expect(screen.getByTestId('size-advice').textContent).toMatch(/Waist 33″/);
    // Collapsing it hid the advice the shopper had just asked for and dropped keyboard focus.
    expect(panel.open).toBe(true);
  });

  it('writes a pick to the address bar a frame later, and not at all once the page is left', async () => {
    setup(`/p/jeans?${plain}`);
    fireEvent.click(option('fit', 'slim'));
    await waitFor(() => expect(window.location.search).toContain('fit=slim'));
    // A pick, then another page within the same frame: its address stays as it is.
    fireEvent.click(option('fit', 'relaxed'));
    cleanup();
    window.history.pushState(null, '', '/checkout');
    await new Promise((r) => setTimeout(r, 100));
    expect(window.location.pathname + window.location.search).toBe('/checkout');
  });

  it('validates the monogram as it is typed and keeps what was typed', async () => {
    setup(`/p/jeans?${plain}`);
    const input = screen.getByLabelText(/Monogram/) as HTMLInputElement;
    fireEvent.input(input, { target: { value: 'ab1' } });
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(input.value).toBe('AB1');
    fireEvent.input(input, { target: { value: 'abc' } });
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBeNull());
    expect(screen.getByTestId('monogram').textContent).toBe('ABC');
    expect(screen.getByTestId('total').textContent).toContain('$141.00');
  });

  it('steps through the 227 sizes by waist and picks a hip', async () => {
    setup('/p/jeans?fit=straight');
    const size = moduleBox('size');
    fireEvent.click(within(size).getByRole('button', { name: 'Larger waist' }));
    fireEvent.click(within(size).getByRole('button', { name: 'Hip 43″' }));
    await waitFor(() => expect(window.location.search).toContain('size=w33-h43'));
  });
});

describe('after the shopper acts', () => {
  it('"Choose Skinny and adjust the rest" leaves no note that Skinny is not available, and focus on Skinny', async () => {
    setup(`/p/jeans?${plain}`);
    fireEvent.click(option('fit', 'skinny'));
    const force = await within(moduleBox('fit')).findByRole('button', { name: /Choose Skinny and adjust/ });
    force.focus();
    fireEvent.click(force);
    await waitFor(() => expect(option('fit', 'skinny').getAttribute('aria-pressed')).toBe('true'));
    await waitFor(() => expect(moduleBox('fit').textContent).not.toMatch(/not available/));
    expect(document.activeElement).toBe(option('fit', 'skinny'));
  });

  it('shows the row of the size "Find my size" picked, even after the shopper stepped to another waist', async () => {
    setup('/p/jeans?fit=straight&rise=mid');
    const size = moduleBox('size');
    fireEvent.click(within(size).getByRole('button', { name: 'Larger waist' }));
    fireEvent.click(within(size).getByRole('button', { name: 'Larger waist' }));
    fireEvent.input(screen.getByLabelText('Waist (in)'), { target: { value: '30' } });
    fireEvent.input(screen.getByLabelText('Hip (in)'), { target: { value: '38' } });
    fireEvent.input(screen.getByLabelText('Inseam (in)'), { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find my size' }));
    await waitFor(() => expect(window.location.search).toMatch(/size=w31-/));
    expect((within(size).getByLabelText('Waist') as HTMLSelectElement).value).toBe('31');
    expect(size.querySelectorAll('.sizes [aria-pressed="true"]')).toHaveLength(1);
  });

  it('says next to "Add to cart" why it is disabled when a choice is invalid, not only missing', async () => {
    setup(`/p/jeans?${plain}`);
    fireEvent.input(screen.getByLabelText(/Monogram/), { target: { value: 'a1' } });
    const add = screen.getByRole('button', { name: 'Add to cart' }) as HTMLButtonElement;
    await waitFor(() => expect(add.disabled).toBe(true));
    const why = document.getElementById(add.getAttribute('aria-describedby') ?? '');
    expect(why?.textContent).toMatch(/Monogram/);
  });

  it('a double click on "Add to cart" adds one; a second press says how many are in the cart', async () => {
    cart.clear();
    setup(`/p/jeans?${plain}`);
    const add = screen.getByRole('button', { name: 'Add to cart' });
    // What a browser sends for a double click: two clicks, the second with detail 2.
    fireEvent.click(add, { detail: 1 });
    fireEvent.click(add, { detail: 2 });
    expect(cart.state.lines).toHaveLength(1);
    expect(cart.state.lines[0]!.quantity).toBe(1);
    await screen.findByText('Added to your cart.');
    // A separate press: the same configuration, one line of two, and the page says so.
    fireEvent.click(add, { detail: 1 });
    expect(cart.state.lines).toHaveLength(1);
    expect(cart.state.lines[0]!.quantity).toBe(2);
    await screen.findByText('Added to your cart: 2 of this configuration in your cart.');
    expect(screen.getByRole('link', { name: /Checkout \(2\)/ })).toBeTruthy();
    cart.clear();
  });

  it('opened from a cart line to fix it, "Update in cart" replaces that line instead of adding one', async () => {
    cart.clear();
    const key = cart.add({
      productId: 'jeans',
      productName: 'Jeans',
      selection: { fit: 'slim', fabric: 'gone' },
    });
    cart.setQuantity(key, 2);
    setup(`/p/jeans?${plain.replace('fabric=classic-12', 'fabric=gone')}&line=${key}`);
    const update = screen.getByRole('button', { name: 'Update in cart' }) as HTMLButtonElement;
    expect(update.disabled).toBe(true);
    fireEvent.click(option('fabric', 'selvedge-14'));
    await waitFor(() => expect(update.disabled).toBe(false));
    fireEvent.click(update, { detail: 1 });
    expect(cart.state.lines).toHaveLength(1);
    expect(cart.state.lines[0]).toMatchObject({ key, quantity: 2, selection: { fabric: 'selvedge-14' } });
    await screen.findByText('Updated in your cart.');
    cart.clear();
  });

  it('a saved spec’s line is fixed by updating the spec, and still orders it by id (its measurements with it)', async () => {
    // "Update in cart" turned a spec's line into a plain product line: the order went to the
    // supplier without the spec's body measurements, and fit feedback could no longer adjust it.
    cart.clear();
    session.set({ id: 'usr_1', email: 'ada@example.com', name: 'Ada' });
    const key = cart.add({
      productId: 'jeans',
      productName: 'Jeans',
      selection: { fit: 'slim', fabric: 'gone' },
      specId: 'spec_1',
      specName: 'Work jeans',
    });
    const patches: unknown[] = [];
    stubFetch({
      'PATCH /api/specs/spec_1': (init) => {
        patches.push(JSON.parse(String(init?.body)));
        return {
          status: 200,
          body: { id: 'spec_1', name: 'Work jeans', productId: 'jeans', specCode: 'JN-NEW', selection: {} },
        };
      },
      'GET /api/specs/spec_1': () => ({ status: 404, body: { title: 'Not found', status: 404 } }),
    });
    setup(`/p/jeans?${plain.replace('fabric=classic-12', 'fabric=gone')}&spec=spec_1&line=${key}`);
    fireEvent.click(option('fabric', 'selvedge-14'));
    const update = await screen.findByRole('button', { name: 'Update “Work jeans” and cart' });
    await waitFor(() => expect((update as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(update, { detail: 1 });
    await screen.findByText('Updated “Work jeans” and your cart.');
    expect(patches).toEqual([{ selection: expect.objectContaining({ fabric: 'selvedge-14' }) }]);
    expect(cart.state.lines).toHaveLength(1);
    expect(cart.state.lines[0]).toMatchObject({
      key,
      specId: 'spec_1',
      specName: 'Work jeans',
      selection: { fabric: 'selvedge-14' },
    });
    cart.clear();
  });
});

describe('fixing the cart line of a spec deleted meanwhile', () => {
  it('replaces it as a plain configuration and says so, instead of refusing for good', async () => {
    // The spec update answered 404 and the page said "Nothing was changed" at every press: the
    // line could only be removed.
    cart.clear();
    session.set({ id: 'usr_1', email: 'ada@example.com', name: 'Ada' });
    const key = cart.add({
      productId: 'jeans',
      productName: 'Jeans',
      selection: { fit: 'slim', fabric: 'gone' },
      specId: 'spec_gone',
      specName: 'Old jeans',
    });
    stubFetch({
      'PATCH /api/specs/spec_gone': () => ({ status: 404, body: { title: 'Not found', status: 404 } }),
      'GET /api/specs/spec_gone': () => ({ status: 404, body: { title: 'Not found', status: 404 } }),
    });
    setup(`/p/jeans?${plain.replace('fabric=classic-12', 'fabric=gone')}&spec=spec_gone&line=${key}`);
    fireEvent.click(option('fabric', 'selvedge-14'));
    const update = await screen.findByRole('button', { name: 'Update “Old jeans” and cart' });
    await waitFor(() => expect((update as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(update, { detail: 1 });
    await screen.findByText(
      '“Old jeans” no longer exists: updated in your cart as a configuration of its own.',
    );
    expect(cart.state.lines).toHaveLength(1);
    expect(cart.state.lines[0]!.specId).toBeUndefined();
    expect(cart.state.lines[0]).toMatchObject({ key, selection: { fabric: 'selvedge-14' } });
    cart.clear();
  });
});

describe('blocked option hint', () => {
  it('shows the reason under the module while a blocked option is hovered or focused', async () => {
    setup(`/p/jeans?${plain}`);
    const skinny = option('fit', 'skinny');
    fireEvent.focusIn(skinny);
    expect((await screen.findByTestId('why-fit')).textContent).toMatch(/Skinny:.*needs stretch/);
    fireEvent.focusOut(skinny);
    await waitFor(() => expect(screen.queryByTestId('why-fit')).toBeNull());
  });
});

describe('a link with only some options', () => {
  it('fills the catalog defaults in for the rest, as a bare link does', async () => {
    setup('/p/jeans?size=w34-h42&inseam=l32');
    await waitFor(() => expect(window.location.search).toContain('fit=straight'));
    for (const [mod, opt] of Object.entries({
      fit: 'straight',
      fabric: 'classic-12',
      stretch: 'none',
      hem: 'standard',
    }))
      expect(option(mod, opt).getAttribute('aria-pressed')).toBe('true');
    expect(window.location.search).toContain('size=w34-h42');
    expect(screen.getByTestId('spec-code').textContent).toMatch(/^JN-34\/42-32-STR-MID-CL12-NS-RNS-STD/);
  });

  it('leaves a module open where its default would clash with the link', async () => {
    setup('/p/jeans?fit=skinny');
    await waitFor(() => expect(window.location.search).toContain('fabric=classic-12'));
    expect(option('fit', 'skinny').getAttribute('aria-pressed')).toBe('true');
    // Skinny needs stretch: the default "none" would make the link's configuration impossible.
    expect(option('stretch', 'none').getAttribute('aria-pressed')).toBe('false');
    expect(window.location.search).not.toContain('stretch=');
    expect(moduleBox('stretch').querySelector('.error')).toBeNull();
  });
});

describe('a spec with a retired option', () => {
  const retiredFabric = () =>
    loaded('jeans', (p) => {
      const fabric = p.modules.find((m) => m.id === 'fabric');
      if (fabric?.kind === 'choice') fabric.options = fabric.options.filter((o) => o.id !== 'light-9');
      p.rules = p.rules.filter((r) => !JSON.stringify(r).includes('light-9'));
    });
  const link = plain.replace('classic-12', 'light-9');

  it('names the option as the shopper knew it, from the saved spec', async () => {
    session.set({ id: 'usr_1', email: 'ada@example.com', name: 'Ada' });
    stubFetch({
      'GET /api/specs/spec_1': () => ({
        status: 200,
        body: {
          id: 'spec_1',
          name: 'Work jeans',
          validity: {
            valid: false,
            changes: [
              {
                module: 'fabric',
                from: 'light-9',
                fromLabel: 'Light 9 oz',
                to: 'classic-12',
                why: 'retired',
              },
            ],
          },
        },
      }),
    });
    setup(`/p/jeans?${link}&spec=spec_1`, 'jeans', retiredFabric());
    await waitFor(() =>
      expect(moduleBox('fabric').querySelector('.error')?.textContent).toBe(
        'Fabric: “Light 9 oz” is not offered any more. Please choose another.',
      ),
    );
  });

  it('says it in words without the id when no label is known', () => {
    setup(`/p/jeans?${link}`, 'jeans', retiredFabric());
    const msg = moduleBox('fabric').querySelector('.error')?.textContent ?? '';
    expect(msg).toBe('Fabric: the choice in this link is not offered any more. Please choose another.');
    expect(document.body.textContent).not.toContain('light-9');
  });
});

describe('a product that fails to load', () => {
  it('has a page heading and offers to try again', async () => {
    stubFetch({
      'GET /api/products/jeans': () => ({ status: 503, body: { title: 'Unavailable', status: 503 } }),
    });
    const history = createMemoryHistory();
    history.set({ value: '/p/jeans' });
    render(() => (
      <MemoryRouter history={history}>
        <Route path="/p/:productId" component={ConfiguratorPage} />
      </MemoryRouter>
    ));
    const h1 = await screen.findByRole('heading', { level: 1 });
    expect(h1.textContent).toMatch(/could not be loaded/);
    expect(screen.getByRole('alert').textContent).toMatch(/try again/i);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
