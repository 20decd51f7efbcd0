import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchConsole } from './support/browser';
import { nextSeasonCatalog } from './support/catalog';
import { orderCount, orderThroughCheckout, PLAIN_JEANS, saveSpec, signIn, signUp } from './support/flows';
import { axeViolations, landed, SCREENSHOTS, shot } from './support/page';
import { type RunningShop, startShop } from './support/server';

let dir: string;
let browser: Browser;
let email: string;
let firstOrder: string;
const shops: RunningShop[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'tailorloop-e2e-catalog-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const s of shops) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('reorder after a catalog change', () => {
  // Needs the server to read its catalog from CATALOG_DIR (asked of the server engineer, issue 3).
  it.skipIf(!landed.orders || !landed.catalogDir)(
    'shows the retired option, its replacement and the price then and now',
    async () => {
      email = `season+${Date.now()}@example.com`;
      const before = await startShop({ dbDir: dir });
      shops.push(before);
      const ctx1 = await browser.newContext();
      const p1 = await ctx1.newPage();
      await signUp(p1, before.url, email);
      await saveSpec(p1, before.url, PLAIN_JEANS, 'Summer jeans');
      firstOrder = await orderThroughCheckout(p1, before.url, PLAIN_JEANS);
      await ctx1.close();
      await before.stop();

      const after = await startShop({ dbDir: dir, env: { CATALOG_DIR: nextSeasonCatalog(dir) } });
      shops.push(after);
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      const errors = watchConsole(page);
      await signIn(page, after.url, email);
      const card = page.locator('.spec', { hasText: 'Summer jeans' });
      await card.getByText('The catalog has changed').waitFor();
      await card.getByTestId('order-again').click();
      const review = card.locator('.review');
      await review.waitFor();
      expect(await review.textContent()).toMatch(/Fabric: Summer 9 oz \(no longer offered\) → replaced by/);
      expect(await review.textContent()).toMatch(/Price then: \$129\.00/);
      expect(await review.getByTestId('price-now').textContent()).toMatch(/^\$1[3-9]\d\.\d\d$/);
      await shot(page, 'reorder-catalog-change-desktop');
      expect(await axeViolations(page)).toEqual([]);
      expect(await orderCount(page, after.url)).toBe(1);
      await review.getByRole('button', { name: 'Update my spec and order' }).click();
      await card.getByText(/Ordered: order ord_/).waitFor();
      expect(await orderCount(page, after.url)).toBe(2);
      // The spec now holds today's configuration: the card no longer says it is out of date.
      expect(await card.getByText('The catalog has changed').count()).toBe(0);
      expect(errors).toEqual([]);
      await ctx.close();
    },
  );

  it.skipIf(!landed.orders || !landed.catalogDir)(
    'orders a past order again from its page: shows the replacement and both prices before ordering',
    async () => {
      const after = shops.at(-1)!;
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      const errors = watchConsole(page);
      await signIn(page, after.url, email);
      await page.goto(`${after.url}/orders/${firstOrder}`);
      const count = await orderCount(page, after.url);
      await page.getByRole('button', { name: 'Order again' }).click();
      const review = page.locator('.reorder-review');
      await review.waitFor();
      expect(await review.textContent()).toMatch(/Fabric: Summer 9 oz \(no longer offered\) → replaced by/);
      expect(await review.textContent()).toMatch(/Price then: \$129\.00/);
      expect(await review.textContent()).toMatch(/Price now: \$1[3-9]\d\.\d\d/);
      expect(await orderCount(page, after.url)).toBe(count);
      expect(await axeViolations(page)).toEqual([]);
      await review.getByRole('button', { name: 'Order with these changes' }).click();
      await page.waitForURL((u) => u.pathname.startsWith('/orders/ord_') && !u.pathname.endsWith(firstOrder));
      await page.getByTestId('order-status').waitFor();
      expect(await orderCount(page, after.url)).toBe(count + 1);
      expect(errors).toEqual([]);
      await ctx.close();
    },
  );

  it.skipIf(!landed.orders || !landed.catalogDir)(
    'a cart line whose option is gone links to the configurator, where it is fixed in place',
    async () => {
      const after = shops.at(-1)!;
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      const errors = watchConsole(page);
      await signIn(page, after.url, email);
      // A cart filled last season (kept in the browser): Summer 9 oz is retired since.
      await page.evaluate((query) => {
        const selection = Object.fromEntries(new URLSearchParams(query));
        const line = {
          key: 'lold',
          productId: 'jeans',
          productName: 'Made-to-measure jeans',
          selection,
          quantity: 2,
        };
        localStorage.setItem('tl.cart', JSON.stringify([line]));
      }, PLAIN_JEANS);
      await page.goto(`${after.url}/checkout`);
      const fix = page.getByRole('link', { name: 'Change it in the configurator (Made-to-measure jeans)' });
      await fix.click();
      await page.waitForURL((u) => u.pathname === '/p/jeans' && u.searchParams.get('fabric') === 'light-9');
      await page.getByText(/is not offered any more/).waitFor();
      await page.locator('[data-module="fabric"] [data-option="classic-12"]').click();
      await page.getByRole('button', { name: 'Update in cart' }).click();
      await page.getByText('Updated in your cart.').waitFor();
      await page.goto(`${after.url}/checkout`);
      await expect.poll(() => page.getByTestId('cart-total').textContent()).toMatch(/^\$\d/);
      expect(await page.locator('.cart-line').count()).toBe(1);
      expect(await page.getByLabel('Quantity').inputValue()).toBe('2');
      expect(await fix.count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      // The browser logs the shop's 422 for the old line's price; nothing else went wrong.
      expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
      await ctx.close();
    },
  );
});
