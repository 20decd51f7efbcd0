import { mkdirSync } from 'node:fs';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchConsole } from './support/browser';
import { PLAIN_JEANS, saveSpec, signUp } from './support/flows';
import { axeViolations, SCREENSHOTS, shot } from './support/page';
import { type RunningShop, startShop } from './support/server';

// The learning loop in real Chromium: a delivered order (the sandbox partners walk it there) →
// fit answers → the engine's proposal → accepted (a new spec version) → order again with the
// new size.

let shop: RunningShop;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  shop = await startShop({ env: { PARTNERS_SANDBOX: '1', PARTNERS_SANDBOX_STEP_MS: '150' } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await shop?.cleanup();
});

async function api<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(
    async (p) => (await fetch(p, { credentials: 'same-origin' })).json(),
    path,
  ) as Promise<T>;
}

describe('the learning loop', () => {
  it('delivered order → fit feedback → accepted adjustment → reorder with the new size', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const errors = watchConsole(page);
    // Order a saved spec (through the API from the page: the checkout is the web engineer's); the
    // sandbox supplier and 3PL accept, make, ship and deliver it.
    const orderId = await deliveredSpecOrder(page, `loop+${Date.now()}@example.com`);
    expect(orderId).toMatch(/^ord_/);

    await page.goto(`${shop.url}/orders/${orderId}/fit`);
    await page.getByRole('heading', { name: 'How does it fit?' }).waitFor();
    await page.getByRole('group', { name: 'How does the waistband fit?' }).getByLabel('Too tight').check();
    await page.getByRole('group', { name: 'How is the leg length?' }).getByLabel('Too short').check();
    await page.getByLabel('Anything else? (optional)').fill('Snug after washing');
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.getByRole('heading', { name: 'Our suggestion' }).waitFor();
    // The button pressed is gone: the focus is on what took its place, not on the page's body.
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    await expect.poll(focused).toBe('Our suggestion');
    const table = page.getByRole('table', { name: 'Before and after' });
    // Rows and heading name the modules and the product as the shop does, not by their ids.
    await expect.poll(() => table.innerText()).toMatch(/Waist \/ hip/);
    await expect.poll(() => table.innerText()).toMatch(/Inseam/);
    expect(await table.innerText()).not.toMatch(/\b(size|inseam)\b/);
    await page.getByRole('heading', { level: 2, name: /Made-to-measure jeans/ }).waitFor();
    await shot(page, 'fit-feedback-proposal');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Accept the adjustment' }).click();
    await page.getByText(/Saved as version 2 of “Work jeans”/).waitFor();
    await expect.poll(focused).toMatch(/^Saved as version 2 of “Work jeans”/);
    await page.getByRole('button', { name: 'Order again with the new fit' }).click();
    const again = await page.getByText(/Ordered: order ord_/).innerText();
    const newOrderId = /ord_[\w-]+/.exec(again)![0];
    await expect.poll(focused).toMatch(/^Ordered: order ord_/);
    await shot(page, 'fit-feedback-reordered');

    // A reload shows the order placed, from the shop's records, and offers no second one.
    await page.reload();
    await page.getByRole('link', { name: `order ${newOrderId}` }).waitFor();
    expect(await page.getByRole('button', { name: 'Order again with the new fit' }).count()).toBe(0);
    expect(await api<unknown[]>(page, '/api/orders')).toHaveLength(2);

    const before = await api<{ lines: { selection: Record<string, string>; specId?: string }[] }>(
      page,
      `/api/orders/${orderId}`,
    );
    const after = await api<{ lines: { selection: Record<string, string>; specId?: string }[] }>(
      page,
      `/api/orders/${newOrderId}`,
    );
    expect(after.lines[0]!.specId).toBe(before.lines[0]!.specId);
    expect(before.lines[0]!.selection).toMatchObject({ size: 'w34-h42', inseam: 'l32' });
    expect(after.lines[0]!.selection.size).not.toBe('w34-h42');
    expect(after.lines[0]!.selection.inseam).not.toBe('l32');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});

/** Signs up, saves the plain jeans as a spec, orders it and waits for the sandbox to deliver it. */
async function deliveredSpecOrder(page: Page, email: string): Promise<string> {
  await signUp(page, shop.url, email, 'Loop Customer');
  await saveSpec(page, shop.url, PLAIN_JEANS, 'Work jeans');
  const specs = await api<{ id: string; name: string }[]>(page, '/api/specs');
  const specId = specs.find((x) => x.name === 'Work jeans')!.id;
  const placed = await page.evaluate(
    async (body) =>
      (
        await fetch('/api/orders', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', 'idempotency-key': `e2e-${Date.now()}` },
          body: JSON.stringify(body),
        })
      ).json(),
    {
      lines: [{ specId, quantity: 1 }],
      shipTo: {
        name: 'Loop Customer',
        line1: '1 Canal Street',
        city: 'Amsterdam',
        postalCode: '1011',
        country: 'NL',
      },
    },
  );
  const orderId = (placed as { id: string }).id;
  await expect
    .poll(async () => (await api<{ status: string }>(page, `/api/orders/${orderId}`)).status, {
      timeout: 60_000,
      interval: 500,
    })
    .toBe('delivered');
  return orderId;
}

describe('ordering again with the new fit', () => {
  it('a retry after a lost answer and a reload orders once', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const orderId = await deliveredSpecOrder(page, `loop-retry+${Date.now()}@example.com`);
    await page.goto(`${shop.url}/orders/${orderId}/fit`);
    await page.getByRole('group', { name: 'How does the waistband fit?' }).getByLabel('Too tight').check();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.getByRole('button', { name: 'Accept the adjustment' }).click();
    await page.getByText(/Saved as version 2 of “Work jeans”/).waitFor();

    // The shop takes the order, but its answer never reaches the page (a dropped connection).
    const lose = async (route: Route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await route.fetch();
      await route.abort('failed');
    };
    await page.route('**/api/orders', lose);
    await page.getByRole('button', { name: 'Order again with the new fit' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /reach the shop/ })
      .waitFor();
    await page.unroute('**/api/orders', lose);

    // The shopper reloads: the shop has the order, so the page shows it and offers no second one.
    await page.reload();
    await page.getByText(/Ordered: order ord_/).waitFor();
    expect(await page.getByRole('button', { name: 'Order again with the new fit' }).count()).toBe(0);
    const orders = await api<unknown[]>(page, '/api/orders');
    expect(orders).toHaveLength(2);
    await ctx.close();
  });
});
