import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchConsole } from './support/browser';
import { orderCount, PLAIN_JEANS, signUp } from './support/flows';
import { sideways } from './support/page';
import { type RunningShop, startShop } from './support/server';

// "Place order" pressed, then the shopper leaves (Back) or reloads before the answer: the order
// goes through all the same, so the shop must say so wherever they are, with a link to it, and
// take it out of the cart; and a reload must not leave the item in the cart with no sign of it.

let shop: RunningShop;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;

beforeAll(async () => {
  shop = await startShop();
  browser = await launchChromium();
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await ctx.newPage();
  await signUp(page, shop.url, `leaving+${Date.now()}@example.com`, 'Ada Lovelace');
});
afterAll(async () => {
  await browser?.close();
  await shop?.cleanup();
});

async function toCheckout(query: string): Promise<void> {
  await page.goto(`${shop.url}/p/jeans?${query}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: /^Cart/ }).click();
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Address', { exact: true }).fill('12 Analytical Way');
  await page.getByLabel('City').fill('London');
  await page.getByLabel('Postal code').fill('N1 9GU');
  await page.getByLabel('Country').selectOption('GB');
}

const badge = () => page.locator('.top .badge').textContent();

describe('leaving checkout while the order is being placed', () => {
  it('a double click on "Add to cart" puts one in the cart', async () => {
    await page.goto(`${shop.url}/p/jeans?${PLAIN_JEANS}`);
    await page.getByRole('button', { name: 'Add to cart' }).dblclick();
    await page.getByText('Added to your cart.').waitFor();
    expect(await badge()).toBe('1');
    await page.evaluate(() => localStorage.removeItem('tl.cart'));
  });

  it('Back: the order still goes through; the page stays where the shopper went and says so, with a link', async () => {
    const errors = watchConsole(page);
    await toCheckout(PLAIN_JEANS);
    // The shop is slow to answer.
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const slow = async (route: Route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await released;
      await route.continue();
    };
    await page.route('**/api/orders', slow);
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('button', { name: 'Placing order…' }).waitFor();
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/p/jeans');
    await page.getByRole('heading', { level: 1, name: 'Made-to-measure jeans' }).waitFor();
    release();

    const notice = page.getByRole('status').filter({ hasText: 'Your order is placed' });
    await notice.waitFor();
    const link = notice.getByRole('link', { name: /^order ord_/ });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/orders\/ord_/);
    // Still where the shopper went, and the cart no longer holds what was ordered.
    expect(new URL(page.url()).pathname).toBe('/p/jeans');
    await expect.poll(badge).toBe('0');
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await sideways(page)).toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.unroute('**/api/orders', slow);

    await link.click();
    await page.waitForURL((u) => u.pathname === href);
    await page.getByRole('heading', { level: 1, name: `Order ${href!.split('/').pop()}` }).waitFor();
    // Seen: the notice goes.
    expect(await page.getByText('Your order is placed').count()).toBe(0);
    expect(await orderCount(page, shop.url)).toBe(1);
    expect(errors).toEqual([]);
  });

  it('a reload: the order the shop took is found again (same key), said, and out of the cart', async () => {
    await toCheckout(PLAIN_JEANS.replace('wash=rinse', 'wash=stone'));
    const before = await orderCount(page, shop.url);
    // The shop takes the order, but the page is reloaded before its answer arrives.
    let reached!: () => void;
    const atShop = new Promise<void>((r) => {
      reached = r;
    });
    const keys: string[] = [];
    // Only the first request is held (for good: the page is reloaded under it); the route stays
    // in place, since taking it away could let the held request through before the reload.
    const lost = async (route: Route) => {
      if (route.request().method() !== 'POST' || keys.length > 0) return route.continue();
      keys.push((await route.request().headerValue('idempotency-key')) ?? '');
      await route.fetch();
      reached();
      await new Promise(() => undefined);
    };
    await page.route('**/api/orders', lost);
    await page.getByRole('button', { name: 'Place order' }).click();
    await atShop;
    expect(await orderCount(page, shop.url)).toBe(before + 1);
    const sent = page.waitForRequest(
      (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/orders',
    );
    await page.reload();
    const again = await sent;
    expect(await again.headerValue('idempotency-key')).toBe(keys[0]);

    const notice = page.getByRole('status').filter({ hasText: 'Your order is placed' });
    await notice.waitFor();
    await page.getByText('Your cart is empty.').waitFor();
    await expect.poll(badge).toBe('0');
    // One order, not two: the shop answered the same key with the order it had taken.
    expect(await orderCount(page, shop.url)).toBe(before + 1);
    const newest = (await (await page.request.get(`${shop.url}/api/orders`)).json()) as Array<{
      id: string;
      createdAt: string;
    }>;
    newest.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    expect(await notice.getByRole('link').getAttribute('href')).toBe(`/orders/${newest[0]!.id}`);
  });
});
