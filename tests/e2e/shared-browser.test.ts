import type { Browser, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchConsole } from './support/browser';
import { orderCount, orderThroughCheckout, PLAIN_JEANS, saveSpec, signUp } from './support/flows';
import { landed } from './support/page';
import { type RunningShop, startShop } from './support/server';

// One browser, two customers (a family computer, a shop floor tablet): after the first signs
// out, the second sees nothing of theirs and nothing is sent to the first one's address.

let shop: RunningShop;
let browser: Browser;
beforeAll(async () => {
  shop = await startShop();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await shop?.cleanup();
});

describe('after signing out on a shared browser', () => {
  it.skipIf(!landed.orders)(
    'the next customer sees none of the first one’s orders or address, and one click orders nothing to it',
    async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      const errors = watchConsole(page);
      const stamp = Date.now();
      // Alice orders through checkout, then once more in one click from My specs (the address
      // the page keeps for one-click orders).
      await signUp(page, shop.url, `alice+${stamp}@example.com`, 'Alice First');
      await saveSpec(page, shop.url, PLAIN_JEANS, 'Alice jeans');
      const aliceOrder = await orderThroughCheckout(page, shop.url, PLAIN_JEANS);
      await page.getByRole('link', { name: 'My specs' }).click();
      const aliceCard = page.locator('.spec', { hasText: 'Alice jeans' });
      await aliceCard.getByTestId('order-again').click();
      await aliceCard.getByText(/Ordered: order ord_/).waitFor();
      await page.getByRole('link', { name: 'My orders' }).click();
      await page.getByRole('link', { name: `Order ${aliceOrder}` }).waitFor();

      await page.getByRole('button', { name: /Sign out/ }).click();
      await page.getByRole('link', { name: 'Sign in' }).waitFor();

      // Bob signs up in the same tab, without a reload. While his orders are on their way,
      // My orders shows none of Alice's.
      let release: () => void = () => undefined;
      const held = new Promise<void>((r) => {
        release = r;
      });
      const hold = async (route: Route) => {
        await held;
        await route.continue();
      };
      await page.route('**/api/orders', hold);
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.getByLabel('Name').fill('Bob Second');
      await page.getByLabel('Email').fill(`bob+${stamp}@example.com`);
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL((u) => u.pathname === '/specs');
      await page.getByText('No specs yet').waitFor();
      await page.getByRole('link', { name: 'My orders' }).click();
      await page.waitForURL((u) => u.pathname === '/orders');
      expect(await page.locator('main').textContent()).not.toContain(aliceOrder);
      release();
      await page.getByText('No orders yet').waitFor();
      await page.unroute('**/api/orders', hold);

      // Checkout offers no address of Alice's.
      await page.goto(`${shop.url}/p/jeans?${PLAIN_JEANS}`);
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.goto(`${shop.url}/checkout`);
      await page.locator('#ship-name').waitFor();
      expect(await page.getByLabel('Full name').inputValue()).toBe('');
      expect(await page.getByLabel('Address', { exact: true }).inputValue()).toBe('');

      // Bob's one-click "Order again" knows no address of his: it goes through checkout and
      // orders nothing to Alice's.
      await saveSpec(page, shop.url, PLAIN_JEANS, 'Bob jeans');
      await page.goto(`${shop.url}/specs`);
      await page.locator('.spec', { hasText: 'Bob jeans' }).getByTestId('order-again').click();
      await page.waitForURL((u) => u.pathname === '/checkout');
      expect(await orderCount(page, shop.url)).toBe(0);
      expect(await page.getByLabel('Full name').inputValue()).toBe('');
      expect(errors).toEqual([]);
      await ctx.close();
    },
  );
});
