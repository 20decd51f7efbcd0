import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/**
 * Next season's catalog, written under `dir`/catalog for `CATALOG_DIR`: Summer 9 oz (light-9) is
 * retired and the jeans cost $10 more. Returns the folder.
 */
export function nextSeasonCatalog(dir: string): string {
  const out = join(dir, 'catalog');
  mkdirSync(join(out, 'products'), { recursive: true });
  cpSync(join(ROOT, 'catalog', 'partners.json'), join(out, 'partners.json'));
  cpSync(join(ROOT, 'catalog', 'products', 'shirt.json'), join(out, 'products', 'shirt.json'));
  const jeans = JSON.parse(readFileSync(join(ROOT, 'catalog', 'products', 'jeans.json'), 'utf8'));
  jeans.version = '2027.03.0';
  jeans.basePrice += 1000;
  const fabric = jeans.modules.find((m: { id: string }) => m.id === 'fabric');
  fabric.options = fabric.options.filter((o: { id: string }) => o.id !== 'light-9');
  jeans.rules = jeans.rules.filter((r: unknown) => !JSON.stringify(r).includes('light-9'));
  writeFileSync(join(out, 'products', 'jeans.json'), JSON.stringify(jeans, null, 2));
  return out;
}
