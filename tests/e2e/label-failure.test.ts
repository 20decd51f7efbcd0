import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { nextSeasonCatalog } from './support/catalog';
import { orderThroughCheckout, PLAIN_JEANS, saveSpec, signIn, signUp } from './support/flows';
import { landed, SCREENSHOTS, shot, sideways } from './support/page';
import { type RunningShop, startShop } from './support/server';

// The shop names products, modules and options by id; the shopper knows them by the labels the
// product definitions give. When loading those fails (offline for a moment, a proxy error), a
// page must say so in words and offer to try again, never show a bare id as if it were a name.

let dir: string;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let shop: RunningShop;
let orderId: string;
const email = `labels+${Date.now()}@example.com`;
let failing: RegExp | undefined;

async function openPage(at: RunningShop, width = 1280): Promise<void> {
  await ctx?.close();
  ctx = await browser.newContext({ viewport: { width, height: 900 } });
  page = await ctx.newPage();
  await page.route('**/api/**', (route) =>
    failing?.test(new URL(route.request().url()).pathname) ? route.abort('failed') : route.continue(),
  );
  await signIn(page, at.url, email);
}

const alerts = () => page.getByRole('alert').filter({ hasText: /\S/ });

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'tailorloop-e2e-labels-'));
  browser = await launchChromium();
});
afterEach(() => {
  failing = undefined;
});
afterAll(async () => {
  await browser?.close();
  await shop?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!landed.orders || !landed.catalogDir)('when the product definitions cannot be loaded', () => {
  describe('a delivered order', () => {
    beforeAll(async () => {
      shop = await startShop({ dbDir: dir, env: { PARTNERS_SANDBOX_STEP_MS: '150' } });
      ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await ctx.newPage();
      await signUp(page, shop.url, email);
      await saveSpec(page, shop.url, PLAIN_JEANS, 'Summer jeans');
      orderId = await orderThroughCheckout(page, shop.url, PLAIN_JEANS);
      // The sandbox supplier and 3PL make, ship and deliver it (expect.poll is for tests only).
      const status = async () =>
        ((await (await page.request.get(`${shop.url}/api/orders/${orderId}`)).json()) as { status: string })
          .status;
      for (let t = Date.now(); (await status()) !== 'delivered'; ) {
        if (Date.now() - t > 60_000) throw new Error(`order ${orderId} was not delivered within 60 s`);
        await new Promise((r) => setTimeout(r, 500));
      }
      await openPage(shop);
    });

    it('the order page: names each item as it was ordered, without the product definitions', async () => {
      failing = /^\/api\/products$/;
      await page.goto(`${shop.url}/orders/${orderId}`);
      await page.getByTestId('order-status').waitFor();
      // The order carries the name each line was ordered under: nothing to load, nothing to fail.
      const items = page.locator('.order-lines');
      await items.getByText('Made-to-measure jeans').waitFor();
      expect(await items.locator('strong').allInnerTexts()).not.toContain('jeans');
      expect(await alerts().filter({ hasText: /names/ }).count()).toBe(0);
      await openAt375('order-names-failed-375');
      await page.locator('.order-lines').getByText('Made-to-measure jeans').waitFor();
    });

    it('the fit page: says the product could not be loaded (no ids for names), and names it on "Try again"', async () => {
      failing = /^\/api\/products\/jeans$/;
      await page.goto(`${shop.url}/orders/${orderId}/fit`);
      await page.getByRole('heading', { name: 'How does it fit?' }).waitFor();
      const alert = alerts().filter({ hasText: /could not be loaded/ });
      await alert.waitFor({ timeout: 10_000 });
      expect(await alert.innerText()).toMatch(/Could not reach the shop/);
      // The heading names the product as it was ordered (the order carries it); only the module
      // labels of the proposal need today's product.
      expect(await page.locator('.fit-line h2').first().innerText()).toMatch(/^Made-to-measure jeans/);
      // The answers still go in, and the proposal's rows name no module by its id.
      await page.getByRole('group', { name: 'How does the waistband fit?' }).getByLabel('Too tight').check();
      await page.getByRole('button', { name: 'Send my answers' }).click();
      const table = page.getByRole('table', { name: 'Before and after' });
      await table.waitFor();
      expect(await table.innerText()).not.toMatch(/\b(size|inseam)\b/);
      await openAt375('fit-names-failed-375');
      failing = undefined;
      await alert.getByRole('button', { name: 'Try again' }).click();
      await page.getByRole('heading', { level: 2, name: /Made-to-measure jeans/ }).waitFor();
      await expect.poll(() => table.innerText()).toMatch(/Waist \/ hip/);
      expect(await alert.count()).toBe(0);
    });

    afterAll(async () => {
      await ctx?.close();
      await shop?.stop();
    });
  });

  describe('after the catalog changed', () => {
    beforeAll(async () => {
      shop = await startShop({ dbDir: dir, env: { CATALOG_DIR: nextSeasonCatalog(dir) } });
      await openPage(shop);
    });

    it('"Order again" on the order page: says what changed could not be shown, orders nothing, and shows it on "Try again"', async () => {
      await page.goto(`${shop.url}/orders/${orderId}`);
      await page.getByTestId('order-status').waitFor();
      const count = await orderCount();
      failing = /^\/api\/products\/jeans$/;
      await page.getByRole('button', { name: 'Order again' }).click();
      const section = page.locator('.order-again');
      const alert = section.getByRole('alert').filter({ hasText: /\S/ });
      await alert.waitFor({ timeout: 10_000 });
      expect(await alert.innerText()).toMatch(/Could not reach the shop/);
      // No review naming modules by id ("fabric: Summer 9 oz").
      expect(await section.locator('.reorder-review').count()).toBe(0);
      expect(await orderCount()).toBe(count);
      failing = undefined;
      await alert.getByRole('button', { name: 'Try again' }).click();
      const review = section.locator('.reorder-review');
      await review.waitFor();
      expect(await review.innerText()).toMatch(/Fabric: Summer 9 oz \(no longer offered\) → replaced by/);
      expect(await alert.count()).toBe(0);
      expect(await orderCount()).toBe(count);
    });

    it('My specs when the product cannot be loaded: does not say it is gone, and shows it on "Try again"', async () => {
      failing = /^\/api\/products\/jeans$/;
      await page.goto(`${shop.url}/specs`);
      const card = page.locator('li.spec').filter({ hasText: 'Summer jeans' });
      const alert = card.getByRole('alert').filter({ hasText: /\S/ });
      await alert.waitFor({ timeout: 10_000 });
      expect(await alert.innerText()).toMatch(/Could not reach the shop/);
      const text = await card.innerText();
      expect(text).not.toMatch(/no longer available/);
      expect(text).not.toMatch(/^jeans ·/m);
      await openAt375('specs-product-failed-375');
      failing = undefined;
      await alert.getByRole('button', { name: 'Try again' }).click();
      await card.getByText(/^Made-to-measure jeans ·/).waitFor();
      await card.getByText('The catalog has changed').waitFor();
      expect(await alert.count()).toBe(0);
    });

    it('"Order again" on My specs: says what changed could not be loaded (no option ids), and shows it on "Try again"', async () => {
      const specs = (await (await page.request.get(`${shop.url}/api/specs`)).json()) as Array<{ id: string }>;
      await page.goto(`${shop.url}/specs`);
      const card = page.locator('li.spec').filter({ hasText: 'Summer jeans' });
      await card.getByText('The catalog has changed').waitFor();
      const count = await orderCount();
      failing = new RegExp(`^/api/specs/(${specs.map((s) => s.id).join('|')})$`);
      await card.getByTestId('order-again').click();
      const alert = card.getByRole('alert').filter({ hasText: /\S/ });
      await alert.waitFor({ timeout: 10_000 });
      expect(await alert.innerText()).toMatch(/Could not reach the shop/);
      expect(await card.innerText()).not.toMatch(/light-9/);
      expect(await card.locator('.review').count()).toBe(0);
      expect(await orderCount()).toBe(count);
      failing = undefined;
      await alert.getByRole('button', { name: 'Try again' }).click();
      const review = card.locator('.review');
      await review.waitFor();
      expect(await review.innerText()).toMatch(/Fabric: Summer 9 oz \(no longer offered\) → replaced by/);
      expect(await alert.count()).toBe(0);
      expect(await orderCount()).toBe(count);
    });
  });
});

async function orderCount(): Promise<number> {
  const res = await page.request.get(`${shop.url}/api/orders`);
  return ((await res.json()) as unknown[]).length;
}

/** The page as it is now at 375 px wide (the phone layout), for a look at the message. */
async function openAt375(name: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 800 });
  await shot(page, name);
  // Nothing runs off the side at 375 px.
  expect(await sideways(page)).toBe(0);
  if (size) await page.setViewportSize(size);
}
