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
});
