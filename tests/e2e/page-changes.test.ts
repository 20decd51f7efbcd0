import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchConsole } from './support/browser';
import { PLAIN_JEANS, signUp } from './support/flows';
import { type RunningShop, startShop } from './support/server';

// A screen reader hears a new page when the browser loads one; the shop changes pages without a
// load. Each page names the tab after itself (WCAG 2.4.2) and, on a change made in the page, the
// focus moves to its main heading (2.4.3), so the change is heard and Tab starts from there.

let shop: RunningShop;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;

beforeAll(async () => {
  shop = await startShop();
  browser = await launchChromium();
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await ctx.newPage();
});
afterAll(async () => {
  await browser?.close();
  await shop?.cleanup();
});

const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}:${el.textContent?.trim()}` : '';
  });

describe('a page change', () => {
  it('names every page in the tab title, loaded directly', async () => {
    const errors = watchConsole(page);
    const titles: Record<string, string> = {};
    for (const path of [
      '/',
      `/p/jeans?${PLAIN_JEANS}`,
      '/checkout',
      '/specs',
      '/orders',
      '/signin',
      '/nowhere',
    ]) {
      await page.goto(`${shop.url}${path}`);
      await page.locator('main h1').first().waitFor();
      await expect.poll(() => page.title()).not.toBe('Tailorloop');
      titles[path] = await page.title();
    }
    expect(titles).toEqual({
      '/': 'Made to measure · Tailorloop',
      [`/p/jeans?${PLAIN_JEANS}`]: 'Made-to-measure jeans · Tailorloop',
      '/checkout': 'Checkout · Tailorloop',
      '/specs': 'My specs · Tailorloop',
      '/orders': 'My orders · Tailorloop',
      '/signin': 'Sign in · Tailorloop',
      '/nowhere': 'Page not found · Tailorloop',
    });
    // The first load leaves the focus where the browser puts it.
    expect(await focused()).toMatch(/^body:/);
    expect(errors).toEqual([]);
  });

  it('moves the focus to the new main heading, and renames the tab, on a link followed in the page', async () => {
    await page.goto(`${shop.url}/`);
    await page.getByRole('link', { name: 'Made-to-measure jeans' }).waitFor();
    await page.getByRole('link', { name: 'Made-to-measure jeans' }).click();
    await expect.poll(focused).toBe('h1:Made-to-measure jeans');
    expect(await page.title()).toBe('Made-to-measure jeans · Tailorloop');

    // The keyboard way: the header's link to the cart, pressed with Enter.
    await page.getByRole('link', { name: /^Cart/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('h1:Checkout');
    expect(await page.title()).toBe('Checkout · Tailorloop');
    // Tab goes on from the heading into the page, not from the top of the document.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.querySelector('main')!.contains(document.activeElement))).toBe(
      true,
    );

    await page.getByRole('link', { name: 'My orders' }).click();
    await expect.poll(focused).toBe('h1:My orders');
    expect(await page.title()).toBe('My orders · Tailorloop');
  });

  it('names an order page after its order', async () => {
    await signUp(page, shop.url, `titles+${Date.now()}@example.com`, 'Ada Lovelace');
    const order = (await page.evaluate(async (query) => {
      const selection = Object.fromEntries(new URLSearchParams(query));
      const res = await fetch('/api/orders', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'idempotency-key': `titles-${Date.now()}` },
        body: JSON.stringify({
          lines: [{ productId: 'jeans', selection, quantity: 1 }],
          shipTo: {
            name: 'Ada Lovelace',
            line1: '12 Analytical Way',
            city: 'London',
            postalCode: 'N1 9GU',
            country: 'GB',
          },
        }),
      });
      return res.json();
    }, PLAIN_JEANS)) as { id: string };
    await page.getByRole('link', { name: 'My orders' }).click();
    await page
      .getByRole('link', { name: new RegExp(order.id) })
      .first()
      .click();
    await expect.poll(focused).toBe(`h1:Order ${order.id}`);
    expect(await page.title()).toBe(`Order ${order.id} · Tailorloop`);
    await page.goto(`${shop.url}/orders/${order.id}/fit`);
    await page.getByRole('heading', { level: 1, name: 'How does it fit?' }).waitFor();
    expect(await page.title()).toBe(`How does it fit? Order ${order.id} · Tailorloop`);
  });
});
