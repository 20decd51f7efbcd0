import { COUNTRY_CODES } from '../../catalog/countries';

// Countries offered at checkout: every code the server accepts (ISO 3166-1 alpha-2 and XK, one list
// in catalog/countries.ts), so a shopper the API would serve is never missing from the menu. Names
// come from the browser's Intl data; the page is loaded lazily, so the list costs the configurator
// nothing.
export function countries(): Array<{ code: string; name: string }> {
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    names = undefined;
  }
  return [...COUNTRY_CODES]
    .map((code) => ({ code, name: names?.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
