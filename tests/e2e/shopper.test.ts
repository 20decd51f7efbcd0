import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchConsole } from './support/browser';
import { axeViolations, landed, SCREENSHOTS, shot, sideways } from './support/page';
import { type RunningShop, startShop } from './support/server';

let shop: RunningShop;
let browser: Browser;
let page: Page;
let errors: string[];
beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  shop = await startShop();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  errors = watchConsole(page);
});
afterAll(async () => {
  await browser?.close();
  await shop?.cleanup();
});

describe('a new shopper', () => {
  it('finds a size from measurements, configures jeans and sees why an option is disabled', async () => {
    await page.goto(`${shop.url}/p/jeans`);
    await page.getByLabel('Waist (in)').fill('33');
    await page.getByLabel('Hip (in)').fill('40');
    await page.getByLabel('Inseam (in)').fill('32');
    await page.getByRole('button', { name: 'Find my size' }).click();
    await expect.poll(() => page.url()).toMatch(/size=w3\d-h4\d/);
    expect(page.url()).toMatch(/inseam=l3[12]/);
    expect(await page.getByTestId('size-advice').textContent()).toMatch(/Waist/);

    await page.locator('[data-module="fabric"] [data-option="selvedge-14"]').click();
    await page.locator('[data-module="wash"] [data-option="raw"]').click();
    await page.locator('[data-module="hem"] [data-option="chain"]').click();
    await expect.poll(() => page.getByTestId('spec-code').textContent()).toMatch(/^JN-.*-SV14-NS-RAW-CHN-?$/);

    // Selvedge has no stretch: the option stays visible, disabled, and hovering it says why.
    const comfort = page.locator('[data-module="stretch"] [data-option="comfort"]');
    expect(await comfort.getAttribute('aria-disabled')).toBe('true');
    await comfort.hover();
    const why = page.getByTestId('why-stretch');
    expect(await why.isVisible()).toBe(true);
    expect(await why.textContent()).toMatch(/Selvedge.*stretch.*change (Fabric|Hem)/is);
    // The same words are the option's accessible description.
    const described = page.locator(`#${await comfort.getAttribute('aria-describedby')}`);
    expect(await described.textContent()).toMatch(/Selvedge/);

    await shot(page, 'configurator-desktop');
    await page.setViewportSize({ width: 375, height: 800 });
    await shot(page, 'configurator-375');
    expect(await sideways(page)).toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await axeViolations(page)).toEqual([]);

    // A link reproduces the configuration exactly.
    const link = page.url();
    const code = await page.getByTestId('spec-code').textContent();
    const other = await browser.newPage();
    await other.goto(link);
    await expect.poll(() => other.getByTestId('spec-code').textContent()).toBe(code);
    await other.close();

    // "Sign in to save this" leads to sign-in and back to this configuration, inside the app
    // (no page load: the marker set on this document survives), and Back returns here.
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    await page.locator('aside').getByRole('link', { name: 'Sign in' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/signin');
    expect(new URL(page.url()).searchParams.get('next')).toBe(new URL(link).pathname + new URL(link).search);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await page.goBack();
    await expect.poll(() => page.getByTestId('spec-code').textContent()).toBe(code);

    await page.getByRole('button', { name: 'Add to cart' }).click();
    expect(errors).toEqual([]);
  });

  it('signs up inline at checkout without losing the cart', async () => {
    await page.getByRole('link', { name: /Checkout \(1\)/ }).click();
    await page.waitForSelector('.cart-line');
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toMatch(/\$\d/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Name').fill('Ada Shopper');
    await page.getByLabel('Email').fill(`ada+${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForSelector('#ship-name');
    expect(await page.locator('.cart-line').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  // Needs POST /api/orders (server engineer, issue 3).
  it.skipIf(!landed.orders)('places the order with the server price', async () => {
    await page.getByLabel('Full name').fill('Ada Shopper');
    await page.getByLabel('Address', { exact: true }).fill('1 Loop Street');
    await page.getByLabel('City').fill('Lyon');
    await page.getByLabel('Postal code').fill('69001');
    await page.getByLabel('Country').selectOption('FR');
    await shot(page, 'checkout-desktop');
    await page.setViewportSize({ width: 375, height: 800 });
    await shot(page, 'checkout-375');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\/ord_/);
    await page.waitForSelector('[data-testid="order-status"]');
    expect(errors).toEqual([]);
  });

  // Needs the sandbox partners (webhook engineer, issue 4) to walk the order forward.
  it.skipIf(!landed.orders || !landed.sandbox)('watches the order reach delivered', async () => {
    await expect
      .poll(() => page.getByTestId('order-status').textContent(), { timeout: 150_000, interval: 1000 })
      .toBe('Delivered');
    expect(
      await page
        .locator('.timeline [data-status="shipped"] a, .timeline [data-status="shipped"] code')
        .count(),
    ).toBeGreaterThan(0);
    await shot(page, 'order-timeline-desktop');
    await page.setViewportSize({ width: 375, height: 800 });
    await shot(page, 'order-timeline-375');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
