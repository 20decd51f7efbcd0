import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { signUp } from './support/flows';
import { type RunningShop, startShop } from './support/server';

// A request that fails (offline for a moment, a proxy error) must leave a page that says so in
// words, claims nothing it does not know ("No orders yet"), and offers to try again in place.

let shop: RunningShop;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let failing: RegExp | undefined;
/** The h1s of the page as failThenRetry found it. */
let saidHeadings: string[] = [];

beforeAll(async () => {
  shop = await startShop();
  browser = await launchChromium();
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await ctx.newPage();
  await page.route('**/api/**', (route) =>
    failing?.test(new URL(route.request().url()).pathname) ? route.abort('failed') : route.continue(),
  );
  await signUp(page, shop.url, `offline+${Date.now()}@example.com`);
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
