import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchConsole } from './support/browser';
import { axeViolations, SCREENSHOTS, tabTo } from './support/page';
import { type RunningShop, startShop } from './support/server';

let shop: RunningShop;
let browser: Browser;
beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  shop = await startShop();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await shop?.cleanup();
});

describe('keyboard only', () => {
  it('configures the shirt without a mouse and the configurator passes axe', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = watchConsole(page);
    await page.goto(`${shop.url}/p/shirt`);
    await page.waitForSelector('[data-module="collar-size"]');

    // Collar size and sleeve with the − / + steppers and the option buttons.
    await tabTo(page, '[data-module="collar-size"] [data-option="n16"]');
    await page.keyboard.press('Enter');
    await tabTo(page, '[data-module="sleeve"] [data-option="s35"]');
    await page.keyboard.press('Space');
    await tabTo(page, '[data-module="fit"] [data-option="slim"]');
    await page.keyboard.press('Enter');
    await tabTo(page, '[data-module="collar"] [data-option="button-down"]');
    await page.keyboard.press('Enter');
    // A blocked option is reachable too, and focusing it says why.
    await tabTo(page, '[data-module="cuff"] [data-option="french"]');
    const french = page.locator('[data-module="cuff"] [data-option="french"]');
    if ((await french.getAttribute('aria-disabled')) === 'true') {
      expect(await french.getAttribute('aria-describedby')).toBeTruthy();
      expect(await page.getByTestId('why-cuff').isVisible()).toBe(true);
    }
    await tabTo(page, '[data-module="fabric"] [data-option="oxford"]');
    await page.keyboard.press('Enter');
    await tabTo(page, '#text-monogram');
    await page.keyboard.type('ada');

    await expect
      .poll(() => page.locator('[data-testid="spec-code"]').textContent())
      .toMatch(/^SH-16-35-SLM-BD-/);
    expect(await page.locator('#text-monogram').inputValue()).toBe('ADA');
    // The address bar follows a frame after the pick (decision 033), so wait for it.
    await expect.poll(() => page.url()).toContain('monogram=ADA');
    // Focus is always visible.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');

    // Add to cart, by keyboard.
    await page.keyboard.down('Shift');
    await tabTo(page, 'button.primary');
    await page.keyboard.up('Shift');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.notice').first().textContent()).toContain('Added to your cart');

    expect(await axeViolations(page)).toEqual([]);
    // Back restores the previous configuration from the URL.
    await page.goBack();
    await expect.poll(() => page.url()).not.toContain('fabric=oxford');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('after a refused sign-in or sign-up, or a failed order, focus stays in the form, not back at the top of the page', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const focused = () =>
      page.evaluate(() => {
        const a = document.activeElement;
        return a && a !== document.body ? a.id || a.textContent || a.tagName : 'body';
      });
    await page.goto(`${shop.url}/signin`);
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.keyboard.press('Enter');
    await page.getByText('That email and password do not match an account.').waitFor();
    expect(await focused()).not.toBe('body');

    await page.goto(`${shop.url}/signup`);
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.getByText('Please correct the fields marked below.').waitFor();
    expect(await focused()).toBe('signup-name');

    const email = `keys+${Date.now()}@example.com`;
    await page.getByLabel('Name').fill('Key Board');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/specs');
    await page.goto(
      `${shop.url}/p/shirt?collar-size=n16&sleeve=s35&fit=slim&collar=button-down&fabric=oxford`,
    );
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.goto(`${shop.url}/checkout`);
    await page.getByLabel('Full name').fill('Key Board');
    await page.getByLabel('Address', { exact: true }).fill('1 Tab Street');
    await page.getByLabel('City').fill('Oslo');
    await page.getByLabel('Postal code').fill('0150');
    await page.getByLabel('Country').selectOption('NO');
    await page.route('**/api/orders', (route) => route.abort('failed'));
    await tabTo(page, '.ship-form button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.getByText(/Could not reach the shop/).waitFor();
    expect(await focused()).toMatch(/Place order/);
    await ctx.close();
  });
});
