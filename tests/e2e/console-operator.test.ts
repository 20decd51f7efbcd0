import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFromDisk } from '../../server/catalog-files';
import { openDatabase } from '../../server/db/client';
import { seedDemo } from '../../server/seed/demo';
import { seedPartners } from '../../server/webhooks/partners';
import { launchChromium, watchConsole } from './support/browser';
import { sideways } from './support/page';
import { type RunningShop, startShop } from './support/server';

// The console as the shop's operator uses it day to day, on a phone and with the keyboard only:
// redeliver a failed delivery, cancel an order, disable a partner, rotate a secret and copy it,
// export customers to a spreadsheet, carry on after the server restarts. Found by the console
// audit; each `it` failed before its fix.

const TOKEN = 'e2e-operator-token-0123456789abcdef';
const TRICKY = 'O\'Brien, "Bob" Zoë 山田';
const FORMULA = '=HYPERLINK("http://evil.example","click")';
let shop: RunningShop;
let browser: Browser;
let dir: string;
let failed: { id: string; order_id: string };
let placed: string[];
let inProduction: string;
let tricky: { id: string; email: string };
/** Failed deliveries to partners that cannot take them yet: 3pl-world (disabled), 3pl-na (URL cleared below). */
let waiting: { world: { id: string; order_id: string }[]; na: { id: string; order_id: string } };

/** The partners as the catalog names them (each settings form is named after one). */
const partnerNames = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'catalog', 'partners.json'), 'utf8')) as {
    partners: { id: string; name: string }[];
  }
).partners;
const nameOf = (id: string) => partnerNames.find((p) => p.id === id)!.name;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tailorloop-console-operator-'));
  const catalog = loadCatalogFromDisk();
  const { sqlite, db } = openDatabase(join(dir, 'shop.db'), { synchronous: 'NORMAL' });
  seedPartners(db, catalog);
  seedDemo(sqlite, catalog, {
    customers: 80,
    orders: 600,
    seed: 7,
    now: Date.now(),
    years: 1,
    passwordHash: 'x',
    remakeLimit: 2,
  });
  // A 3PL that refused a message until the dispatcher gave up.
  failed = sqlite
    .prepare(
      `SELECT id, order_id FROM webhook_messages
        WHERE event_type = 'fulfillment.requested' AND status = 'delivered' ORDER BY created_at DESC LIMIT 1`,
    )
    .get() as typeof failed;
  sqlite
    .prepare(
      `UPDATE webhook_messages SET status = 'failed', attempts = 5, last_status_code = 503, last_error = 'HTTP 503',
        delivered_at = NULL WHERE id = ?`,
    )
    .run(failed.id);
  // Another whose partner did not answer at all: no status code, only the connection error.
  sqlite
    .prepare(
      `UPDATE webhook_messages SET status = 'failed', attempts = 5, last_status_code = NULL,
        last_error = 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9', delivered_at = NULL
        WHERE id = (SELECT id FROM webhook_messages WHERE status = 'delivered' AND partner_id = 'workshop'
                     ORDER BY created_at DESC LIMIT 1)`,
    )
    .run();
  placed = (
    sqlite
      .prepare(`SELECT id FROM orders WHERE status = 'placed' AND id <> ? ORDER BY created_at DESC LIMIT 3`)
      .all(failed.order_id) as { id: string }[]
  ).map((r) => r.id);
  inProduction = (
    sqlite.prepare(`SELECT id FROM orders WHERE status = 'in_production' LIMIT 1`).get() as { id: string }
  ).id;
  // Two buyers whose names a spreadsheet would mangle or run.
  const buyers = sqlite
    .prepare(
      `SELECT c.id, c.email FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)
        ORDER BY c.id LIMIT 2`,
    )
    .all() as { id: string; email: string }[];
  tricky = buyers[0]!;
  sqlite.prepare('UPDATE customers SET name = ? WHERE id = ?').run(TRICKY, buyers[0]!.id);
  sqlite.prepare('UPDATE customers SET name = ? WHERE id = ?').run(FORMULA, buyers[1]!.id);
  // A 3PL that answered 410 Gone: the dispatcher switched it off and wrote why.
  sqlite
    .prepare(
      `UPDATE partners SET enabled = 0,
        disabled_reason = 'answered 410 Gone at 2026-11-30T10:00:00.000Z (https://3pl.example/hooks)'
        WHERE id = '3pl-world'`,
    )
    .run();
  // Deliveries that failed to partners that will not get them on a redelivery: two to 3pl-world
  // (switched off above), one to 3pl-na (whose URL a test below clears).
  const failIt = sqlite.prepare(
    `UPDATE webhook_messages SET status = 'failed', attempts = 5, last_status_code = 503, last_error = 'HTTP 503',
      delivered_at = NULL WHERE id = ?`,
  );
  const recent = (partner: string, n: number) => {
    const found = sqlite
      .prepare(
        `SELECT id, order_id FROM webhook_messages
          WHERE partner_id = ? AND status = 'delivered' AND order_id IS NOT NULL AND order_id NOT IN (?, ?, ?, ?, ?)
          ORDER BY created_at DESC LIMIT ?`,
      )
      .all(partner, failed.order_id, inProduction, ...placed, n) as { id: string; order_id: string }[];
    for (const m of found) failIt.run(m.id);
    return found;
  };
  waiting = { world: recent('3pl-world', 2), na: recent('3pl-na', 1)[0]! };
  sqlite.close();
  shop = await startShop({ dbDir: dir, env: { ADMIN_TOKEN: TOKEN, PARTNERS_SANDBOX: '1' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await shop?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function openConsole(page: Page, path: string) {
  await page.goto(`${shop.url}${path}`);
  await page.getByLabel('Admin token').fill(TOKEN);
  await page.getByRole('button', { name: 'Open the console' }).click();
}

describe('the console as an operator uses it', () => {
  it('at 375 px no page scrolls sideways; wide tables scroll in their own box, and a new secret wraps', async () => {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await ctx.newPage();
    const errors = watchConsole(page);
    await openConsole(page, '/console');
    await page.locator('table.grid3').waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);

    await page.goto(`${shop.url}/console/orders/${failed.order_id}`);
    await page.getByRole('heading', { name: /Partner deliveries/ }).waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    // The Redeliver button is reachable by scrolling the deliveries table, not the page.
    const redeliver = page.getByRole('button', { name: 'Redeliver' });
    await redeliver.scrollIntoViewIfNeeded();
    const box = (await redeliver.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(375);

    await page.goto(`${shop.url}/console/service`);
    await page.getByRole('heading', { name: 'Answers per fit area' }).waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);

    await page.goto(`${shop.url}/console/partners`);
    const form = page.locator('form.partner-settings', { hasText: 'workshop' });
    await form.getByRole('button', { name: `Rotate secret for ${nameOf('workshop')}` }).click();
    const secret = form.locator('code', { hasText: 'whsec_' });
    await secret.waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    const s = (await secret.boundingBox())!;
    expect(s.x + s.width).toBeLessThanOrEqual(375);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('with the keyboard only: after Redeliver and Cancel the focus stays where the operator was', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await openConsole(page, `/console/orders/${failed.order_id}`);
    const row = page.locator('tr', { hasText: 'fulfillment.requested' });
    await row.getByRole('button', { name: 'Redeliver' }).focus();
    await page.keyboard.press('Enter');
    await row.getByText('Queued for delivery again.').waitFor();
    // Not thrown back to the top of the page (focus on <body>): still in the row that changed.
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.textContent ?? '')).toContain(
      'Queued for delivery again.',
    );

    await page.goto(`${shop.url}/console/orders/${placed[0]}`);
    await page.getByRole('button', { name: 'Cancel order' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Yes, cancel the order' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep the order');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.locator('h1 .pill', { hasText: 'cancelled' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('BODY');
    // The order says who cancelled it and when (it said only that it was cancelled).
    expect(await page.getByTestId('order-cancelled').textContent()).toMatch(
      /^Cancelled by the shop \(an operator\) on \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
    );
    await ctx.close();
  });

  it('cancelling asks first, and an order that can no longer be cancelled says why', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await openConsole(page, `/console/orders/${placed[1]}`);
    await page.getByRole('button', { name: 'Cancel order' }).click();
    // One stray click does not cancel a customer's order.
    await page.getByRole('button', { name: 'Keep the order' }).click();
    await page.waitForTimeout(300);
    const r = await fetch(`${shop.url}/api/admin/orders/${placed[1]}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(((await r.json()) as { order: { status: string } }).order.status).toBe('placed');

    await page.goto(`${shop.url}/console/orders/${inProduction}`);
    await page.getByRole('heading', { name: /Lines/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    await page.getByText(/cannot be cancelled/i).waitFor();
    await ctx.close();
  });

  it('disabling a partner shows in its delivery row at once; an edited URL no longer says "Saved."; a refused delivery and a 410 say why', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await openConsole(page, '/console/partners');
    const form = page.locator('form.partner-settings', { hasText: 'selvedge-mill' });
    const row = page.locator('table.console-table tbody tr', { hasText: 'selvedge-mill' }).first();
    await row.waitFor();
    expect(await row.locator('td').nth(2).innerText()).toBe('yes');
    // A partner the dispatcher switched off says why, before anyone re-enables it.
    const gone = page.locator('table.console-table tbody tr', { hasText: '3pl-world' }).first();
    expect(await gone.locator('td').nth(2).innerText()).toMatch(/^no: answered 410 Gone at .*3pl\.example/);
    const mill = nameOf('selvedge-mill');
    await form.getByRole('checkbox', { name: `Enabled for ${mill}` }).uncheck();
    await form.getByRole('button', { name: `Save ${mill}` }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();
    expect(await row.locator('td').nth(2).innerText()).toBe('no');
    // A URL the browser refuses is never sent: the earlier "Saved." must not stand next to it.
    await form.getByRole('textbox', { name: `Webhook URL for ${mill}` }).fill('not a url');
    await form.getByRole('button', { name: `Save ${mill}` }).click();
    expect(await form.getByRole('status').innerText()).not.toContain('Saved.');
    // Why a delivery failed, where it is retried: the connection error, not "no answer".
    const refused = page.locator('li', { hasText: /to workshop .* last ECONNREFUSED/ });
    await refused.waitFor();
    // Redelivered by keyboard, its line leaves the list; the focus stays on what happened.
    await refused.getByRole('button', { name: 'Redeliver' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => refused.count()).toBe(0);
    const focused = await page.evaluate(() =>
      document.activeElement === document.body ? '<body>' : document.activeElement?.textContent,
    );
    expect(focused).toMatch(/queued again/);
    await ctx.close();
  });

  it('a rotated secret can be copied with one button', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shop.url });
    const page = await ctx.newPage();
    await openConsole(page, '/console/partners');
    const form = page.locator('form.partner-settings', { hasText: 'shirtmaker' });
    await form.getByRole('button', { name: `Rotate secret for ${nameOf('shirtmaker')}` }).click();
    const secret = (await form.locator('code', { hasText: 'whsec_' }).innerText()).trim();
    await form.getByRole('button', { name: `Copy the secret for ${nameOf('shirtmaker')}` }).click();
    await form.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await ctx.close();
  });

  it('the customers CSV opens in a spreadsheet as shown: email, money in units, labels, UTF-8, no formulas', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await ctx.newPage();
    await openConsole(page, '/console/customers');
    await page.locator('table.console-table tbody tr').first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const path = join(dir, 'customers.csv');
    await download.saveAs(path);
    const bytes = readFileSync(path);
    // A byte-order mark, or Excel reads UTF-8 as Windows-1252 ("ZoÃ« å±±ç”°").
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const [header, ...lines] = text.trimEnd().split('\r\n');
    expect(header).toBe(
      'Customer,Email,Class,RFM,Orders,Revenue (USD),Last order,Volume,Satisfaction,Treatment',
    );
    const line = lines.find((l) => l.includes(tricky.email))!;
    expect(line.startsWith(`"O'Brien, ""Bob"" Zoë 山田",${tricky.email},`)).toBe(true);
    // The table shows $89.00 and "medium"; the file says 89.00 and medium, not 8900 and 0.5.
    const row = page.locator('table.console-table tbody tr', { hasText: tricky.email });
    const shownRevenue = (await row.locator('td').nth(4).innerText()).replace(/[$,]/g, '');
    const shownSatisfaction = await row.locator('td').nth(7).innerText();
    const cells = line.slice(line.indexOf(tricky.email)).split(',');
    expect(cells[4]).toBe(shownRevenue);
    expect(cells[7]).toBe(shownSatisfaction);
    expect(text).toContain(`"'${FORMULA.replace(/"/g, '""')}"`);
    for (const l of lines) expect(l).not.toMatch(/^[=+\-@]/);
    await ctx.close();
  });

  it('after the server was away, "Try again" loads the page without a reload', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    let down = false;
    await page.route('**/api/admin/**', (route) =>
      down ? route.abort('connectionrefused') : route.continue(),
    );
    await openConsole(page, '/console/orders');
    await page.locator('table.console-table tbody tr').first().waitFor();
    down = true;
    await page.getByLabel('Only with a failed delivery').check();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Could not reach the shop/);
    down = false;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByText(/orders? match/).waitFor();
    expect(page.url()).toContain('failed=1');
    await ctx.close();
  });
});

// Found by the second console audit; each `it` failed before its fix.
describe("the console says when a delivery will wait, and names each partner's controls", () => {
  it('each partner form names its partner to a screen reader: URL, enabled, Save, Rotate secret', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await openConsole(page, '/console/partners');
    await page.locator('form.partner-settings').first().waitFor();
    expect(partnerNames).toHaveLength(6);
    for (const { name } of partnerNames) {
      expect(await page.getByRole('textbox', { name: `Webhook URL for ${name}`, exact: true }).count()).toBe(
        1,
      );
      expect(await page.getByRole('checkbox', { name: `Enabled for ${name}`, exact: true }).count()).toBe(1);
      expect(await page.getByRole('button', { name: `Save ${name}`, exact: true }).count()).toBe(1);
      expect(await page.getByRole('button', { name: `Rotate secret for ${name}`, exact: true }).count()).toBe(
        1,
      );
    }
    // No control is left with a name that six others share.
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'URL', exact: true }).count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: 'enabled', exact: true }).count()).toBe(0);
    await ctx.close();
  });

  it("clearing a partner's URL says its deliveries wait until one is set, after Save and on its row", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await openConsole(page, '/console/partners');
    const name = nameOf('3pl-na');
    const form = page.locator('form.partner-settings', { hasText: '3pl-na' });
    const row = page.locator('table.console-table tbody tr', { hasText: '3pl-na' }).first();
    await row.waitFor();
    expect(await row.innerText()).not.toMatch(/wait/);
    await page.getByRole('textbox', { name: `Webhook URL for ${name}` }).fill('');
    await page.getByRole('button', { name: `Save ${name}` }).click();
    const status = form.getByRole('status').first();
    await expect.poll(() => status.innerText()).toMatch(/Saved\..*wait until a URL is set/);
    // The server stored no URL: the console says what that means instead of a plain "Saved.".
    const r = await fetch(`${shop.url}/api/admin/partners/3pl-na`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(((await r.json()) as { url: string | null }).url).toBeNull();
    expect(await row.innerText()).toMatch(/wait until a URL is set/);
    // And it still says so the next time the page is opened, on the row and by the form.
    await page.reload();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/wait until a URL is set/);
    expect(await form.innerText()).toMatch(/wait until a URL is set/);
    // Other partners, which have a URL, say nothing of the kind.
    const other = page.locator('table.console-table tbody tr', { hasText: '3pl-eu' }).first();
    expect(await other.innerText()).not.toMatch(/wait/);
    await ctx.close();
  });

  it('redelivering to a disabled partner says it will wait (order page), not "Queued for delivery again."', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await openConsole(page, `/console/orders/${waiting.world[0]!.order_id}`);
    const row = page
      .locator('tr', { hasText: '3pl-world' })
      .filter({ has: page.getByRole('button', { name: 'Redeliver' }) })
      .first();
    await row.getByRole('button', { name: 'Redeliver' }).click();
    // The button leaves with the failure; the row's status says the delivery waits, and why.
    const said = page.locator('tr [role="status"]', {
      hasText: 'partner 3pl-world is disabled; it goes out once that is fixed',
    });
    await said.waitFor();
    expect(await said.innerText()).not.toContain('Queued for delivery again.');
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain(
      '3pl-world is disabled',
    );
    await ctx.close();
  });

  it('redelivering from the Partners page to a disabled partner or one without a URL says it will wait', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await openConsole(page, '/console/partners');
    const said = page.locator('p[role="status"]', { hasText: /queued again|wait/ });
    const world = page
      .locator('li', { hasText: /to 3pl-world / })
      .filter({ hasText: waiting.world[1]!.order_id });
    await world.getByRole('button', { name: 'Redeliver' }).click();
    await expect
      .poll(() => said.innerText())
      .toMatch(/partner 3pl-world is disabled; it goes out once that is fixed/);
    const na = page.locator('li', { hasText: /to 3pl-na / }).filter({ hasText: waiting.na.order_id });
    await na.getByRole('button', { name: 'Redeliver' }).click();
    await expect
      .poll(() => said.innerText())
      .toMatch(/partner 3pl-na is without a URL; it goes out once that is fixed/);
    await ctx.close();
  });
});
