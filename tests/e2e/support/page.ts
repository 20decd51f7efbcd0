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
