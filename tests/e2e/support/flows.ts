import type { Page } from 'playwright-core';

export const PLAIN_JEANS =
  'size=w34-h42&inseam=l32&fit=straight&rise=mid&fabric=light-9&stretch=none&wash=rinse&hem=standard';

export async function signUp(
  page: Page,
  base: string,
  email: string,
  name = 'Returning Customer',
): Promise<void> {
  await page.goto(`${base}/signup?next=/specs`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((u) => u.pathname === '/specs');
}

export async function signIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/signin?next=/specs`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/specs');
}

/** Saves the configuration at `query` as a named spec from the configurator. */
export async function saveSpec(page: Page, base: string, query: string, name: string): Promise<void> {
  await page.goto(`${base}/p/jeans?${query}`);
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Save spec' }).click();
  await page.getByText(`Saved as “${name}”.`).waitFor();
}

/** Orders the configuration at `query` through the cart and checkout once (remembers the address). */
export async function orderThroughCheckout(page: Page, base: string, query: string): Promise<string> {
  await page.goto(`${base}/p/jeans?${query}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.goto(`${base}/checkout`);
  await page.getByLabel('Full name').fill('Returning Customer');
  await page.getByLabel('Address', { exact: true }).fill('5 Spool Road');
  await page.getByLabel('City').fill('Toronto');
  await page.getByLabel('Postal code').fill('M5V 2T6');
  await page.getByLabel('Country').selectOption('CA');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/ord_/);
  return page.url().split('/').pop()!;
}

export async function orderCount(page: Page, base: string): Promise<number> {
  const res = await page.request.get(`${base}/api/orders`);
  return ((await res.json()) as unknown[]).length;
}
