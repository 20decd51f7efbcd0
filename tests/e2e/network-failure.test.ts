import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { orderThroughCheckout, PLAIN_JEANS, saveSpec, signIn, signUp } from './support/flows';
import { SCREENSHOTS, shot, sideways } from './support/page';
import { type RunningShop, startShop } from './support/server';

// A request that fails (offline for a moment, a proxy error) must leave a page that says so in
// words, claims nothing it does not know ("No orders yet"), and offers to try again in place.

let shop: RunningShop;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const email = `offline+${Date.now()}@example.com`;
let failing: RegExp | undefined;
/** The h1s of the page as failThenRetry found it. */
let saidHeadings: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  shop = await startShop();
  browser = await launchChromium();
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await ctx.newPage();
  await page.route('**/api/**', (route) =>
    failing?.test(new URL(route.request().url()).pathname) ? route.abort('failed') : route.continue(),
  );
  await signUp(page, shop.url, email);
});
// A test that fails half-way must not leave the next one offline.
afterEach(() => {
  failing = undefined;
});
afterAll(async () => {
  await browser?.close();
  await shop?.cleanup();
});

/** Opens `path` while `api` fails, then lets it through and presses "Try again". */
async function failThenRetry(path: string, api: RegExp): Promise<string> {
  failing = api;
  await page.goto(`${shop.url}${path}`);
  const alert = page.getByRole('alert').filter({ hasText: /\S/ });
  await alert.first().waitFor();
  const said = (await page.locator('main').textContent()) ?? '';
  saidHeadings = await page.locator('main h1').allTextContents();
  failing = undefined;
  await page.getByRole('button', { name: 'Try again' }).click();
  return said;
}

describe('a failed request', () => {
  it('on the shop front: says so and loads the products on "Try again"', async () => {
    const said = await failThenRetry('/', /^\/api\/products$/);
    expect(said).toMatch(/could not be loaded/i);
    await page.getByRole('link', { name: 'Made-to-measure jeans' }).waitFor();
  });

  it('on a product page: does not say the product is gone, and loads it on "Try again"', async () => {
    const said = await failThenRetry('/p/jeans', /^\/api\/products\/jeans$/);
    expect(said).not.toMatch(/not available|do not make/i);
    expect(said).toMatch(/could not be loaded/i);
    expect(saidHeadings).toEqual(['The product could not be loaded']);
    await page.locator('[data-module="fit"]').waitFor();
  });

  it('on My orders: does not claim there are none, and lists them on "Try again"', async () => {
    const said = await failThenRetry('/orders', /^\/api\/orders$/);
    expect(said).not.toMatch(/No orders yet/);
    expect(said).toMatch(/Could not reach the shop/);
    await page.getByText('No orders yet').waitFor();
    expect(await page.getByRole('alert').filter({ hasText: /\S/ }).count()).toBe(0);
  });

  it('on My specs: does not claim there are none, and lists them on "Try again"', async () => {
    const said = await failThenRetry('/specs', /^\/api\/specs$/);
    expect(said).not.toMatch(/No specs yet/);
    expect(said).toMatch(/Could not reach the shop/);
    await page.getByText('No specs yet').waitFor();
    expect(await page.getByRole('alert').filter({ hasText: /\S/ }).count()).toBe(0);
  });
});

describe('a failed background request while signed in', () => {
  const mainSays = async () => (await page.locator('main').textContent()) ?? '';

  it('asking who is signed in: says so instead of asking to sign in, and shows the page on "Try again"', async () => {
    failing = /^\/api\/me$/;
    await page.goto(`${shop.url}/orders`);
    await page.getByRole('alert').filter({ hasText: /\S/ }).first().waitFor({ timeout: 10_000 });
    const said = await mainSays();
    expect(said).toMatch(/Could not reach the shop/);
    expect(said).not.toMatch(/sign in|create an account/i);
    // The header claims neither way.
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Sign in' }).count()).toBe(0);
    failing = undefined;
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('No orders yet').waitFor();
    await nav.getByRole('button', { name: /^Sign out/ }).waitFor();
  });

  it('on the configurator, asking who is signed in: does not ask to sign in to save, and offers "Save spec" on "Try again"', async () => {
    failing = /^\/api\/me$/;
    await page.goto(`${shop.url}/p/jeans?${PLAIN_JEANS}`);
    const save = page.locator('.save-spec');
    const alert = save.getByRole('alert').filter({ hasText: /\S/ });
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/Could not check whether you are signed in/);
    expect(await alert.textContent()).toMatch(/Could not reach the shop/);
    expect(await save.getByRole('link', { name: 'Sign in' }).count()).toBe(0);
    expect(await save.textContent()).not.toMatch(/Sign in to save/);
    await page.setViewportSize({ width: 375, height: 800 });
    await shot(page, 'configurator-me-failed-375');
    expect(await sideways(page)).toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    failing = undefined;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await save.getByRole('button', { name: 'Save spec' }).waitFor();
    expect(await alert.count()).toBe(0);
  });

  it('a spec\'s history: says the earlier versions could not be loaded, and lists them on "Try again"', async () => {
    await saveSpec(page, shop.url, PLAIN_JEANS, 'History jeans');
    failing = /^\/api\/specs\/[^/]+\/versions$/;
    await page.goto(`${shop.url}/specs`);
    const card = page.locator('li.spec').filter({ hasText: 'History jeans' });
    await card.locator('details.history > summary').click();
    const alert = card.getByRole('alert').filter({ hasText: /\S/ });
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/Could not reach the shop/);
    failing = undefined;
    await card.getByRole('button', { name: 'Try again' }).click();
    await card.getByText(/Version 1, .*“History jeans”/).waitFor();
    expect(await alert.count()).toBe(0);
  });

  it('the spec a configurator link opens: says it cannot offer "Update" yet, and offers it on "Try again"', async () => {
    await saveSpec(page, shop.url, PLAIN_JEANS, 'Opened jeans');
    const spec = new URL(page.url()).searchParams.get('spec');
    expect(spec).toBeTruthy();
    failing = new RegExp(`^/api/specs/${spec}$`);
    await page.goto(`${shop.url}/p/jeans?${PLAIN_JEANS}&spec=${spec}`);
    const alert = page.locator('.save-spec').getByRole('alert').filter({ hasText: /\S/ });
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/Could not reach the shop/);
    expect(await page.getByRole('button', { name: /^Update/ }).count()).toBe(0);
    failing = undefined;
    await page.locator('.save-spec').getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('button', { name: 'Update “Opened jeans”' }).waitFor();
    expect(await alert.count()).toBe(0);
  });
  it('My specs when the orders cannot be loaded: says the histories leave them out, and shows them on "Try again"', async () => {
    await orderThroughCheckout(page, shop.url, PLAIN_JEANS);
    failing = /^\/api\/orders$/;
    await page.goto(`${shop.url}/specs`);
    const alert = page.getByRole('alert').filter({ hasText: /orders/ });
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/Could not reach the shop/);
    failing = undefined;
    await alert.getByRole('button', { name: 'Try again' }).click();
    const card = page.locator('li.spec').filter({ hasText: 'History jeans' });
    await card.locator('details.history > summary').click();
    await card.getByText(/^Ordered /).waitFor();
    expect(await alert.count()).toBe(0);
  });
  it('at checkout, asking who is signed in: says so above the sign-in form, and shows "Ship to" on "Try again"', async () => {
    await page.goto(`${shop.url}/p/jeans?${PLAIN_JEANS}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    failing = /^\/api\/me$/;
    await page.goto(`${shop.url}/checkout`);
    const alert = page.getByRole('alert').filter({ hasText: /signed in/ });
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/Could not reach the shop/);
    failing = undefined;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Ship to' }).waitFor();
    expect(await alert.count()).toBe(0);
  });
});

describe('signing out', () => {
  const signOutButton = () => page.getByRole('button', { name: /^Sign out/ });
  const said = () => page.getByRole('alert').filter({ hasText: /\S/ });

  /** Presses "Sign out" on My specs while the logout request fails; checks nothing changed. */
  async function signOutFails(): Promise<string> {
    await page.goto(`${shop.url}/specs`);
    await signOutButton().click();
    await said().first().waitFor({ timeout: 10_000 });
    const message = (await said().first().textContent()) ?? '';
    // Still signed in, and the page says so: the button with the name, no "Sign in" link,
    // the same page, and the server still answers /api/me for this shopper (also after a reload).
    expect(await signOutButton().isVisible()).toBe(true);
    expect(
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).count(),
    ).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/specs');
    expect((await page.request.get(`${shop.url}/api/me`)).status()).toBe(200);
    return message;
  }

  async function signOutWorks(): Promise<void> {
    await signOutButton().click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await said().count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/');
    expect((await page.request.get(`${shop.url}/api/me`)).status()).toBe(401);
  }

  it('while the shop cannot be reached: says so in words, stays signed in, and signs out on a retry', async () => {
    failing = /^\/api\/auth\/logout$/;
    const message = await signOutFails();
    expect(message).toMatch(/still signed in/i);
    expect(message).toMatch(/Could not reach the shop/);
    failing = undefined;
    await signOutWorks();
  });

  it('the message goes when the shopper moves to another page, still signed in', async () => {
    await signIn(page, shop.url, email);
    failing = /^\/api\/auth\/logout$/;
    const message = await signOutFails();
    expect(message).toMatch(/still signed in/i);
    await page.setViewportSize({ width: 375, height: 800 });
    await shot(page, 'sign-out-failed-375');
    expect(await sideways(page)).toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    failing = undefined;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My orders' }).click();
    await page.waitForURL((u) => u.pathname === '/orders');
    await page.getByRole('heading', { name: 'My orders' }).waitFor();
    expect(await said().count()).toBe(0);
    expect(await signOutButton().isVisible()).toBe(true);
    await signOutWorks();
  });

  it('when the server answers an error: says so in words and stays signed in', async () => {
    await signIn(page, shop.url, email);
    const answer = async (route: Route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }),
      });
    await page.route('**/api/auth/logout', answer);
    const message = await signOutFails();
    expect(message).toMatch(/still signed in/i);
    expect(message).toMatch(/Service Unavailable/);
    await page.unroute('**/api/auth/logout', answer);
    await signOutWorks();
  });
});
