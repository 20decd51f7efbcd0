import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const SCREENSHOTS = join(ROOT, 'tests', 'e2e', 'screenshots');

/** Which parts of the other engineers' work have landed (e2e scenarios that need them wait). */
export const landed = {
  orders: existsSync(join(ROOT, 'server', 'http', 'routes', 'orders.ts')),
  sandbox:
    existsSync(join(ROOT, 'server', 'sandbox')) && readdirSync(join(ROOT, 'server', 'sandbox')).length > 0,
  catalogDir: readFileSync(join(ROOT, 'server', 'env.ts'), 'utf8').includes('CATALOG_DIR'),
};

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core, WCAG 2.0/2.1/2.2 A and AA rules; returns the violations (id, help, targets). */
export async function axeViolations(
  page: Page,
): Promise<Array<{ id: string; help: string; nodes: string[] }>> {
  // Evaluated through the DevTools protocol, so the shop's Content-Security-Policy stays on.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(axePath, 'utf8'));
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected at runtime
    const axe = (window as any).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] },
    });
    type Violation = { id: string; help: string; nodes: Array<{ target: string[] }> };
    return (r.violations as Violation[]).map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

/**
 * Presses Tab until the focused element matches `selector` (proving it is reachable by
 * keyboard, in document order); fails after `max` presses.
 */
export async function tabTo(page: Page, selector: string, max = 400): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${selector} with Tab`);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * How far the page scrolls sideways (0 when everything fits the viewport's width), with every
 * public id on it at its widest. An id's 22 random base64url characters may hold a `-` (a place
 * the browser breaks a line) or none, and many wide capitals or few, so a page that fits with this
 * run's ids can overflow with another's (CI once saw 385 px at 375 on the fit page): while
 * measuring, those 22 characters are all `W`, the worst draw; the text is put back afterwards.
 */
export function sideways(page: Page): Promise<number> {
  return page.evaluate(() => {
    const id = /\b([a-z]{2,5}_[0-9a-z]{9})([A-Za-z0-9_-]{22})\b/g;
    const changed: Array<[Node, string]> = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.nodeValue ?? '';
      const worst = text.replace(id, (_, head: string, tail: string) => head + 'W'.repeat(tail.length));
      if (worst !== text) {
        changed.push([n, text]);
        n.nodeValue = worst;
      }
    }
    const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    for (const [n, text] of changed) n.nodeValue = text;
    return overflow;
  });
}
