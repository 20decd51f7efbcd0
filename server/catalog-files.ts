import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Catalog, CatalogError, loadCatalog } from '../catalog/index';

/**
 * Reads `catalog/products/*.json` and `catalog/partners.json` from disk and loads them through
 * the pure catalog loader. A bad file throws CatalogError naming the file and JSON path.
 */
export function loadCatalogFromDisk(dir: string = join(import.meta.dirname, '..', 'catalog')): Catalog {
  const read = (path: string) => {
    // Relative to where the command runs when inside it (catalog/products/jeans.json), else absolute.
    const rel = relative(process.cwd(), path);
    const file = rel && !rel.startsWith('..') ? rel : path;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new CatalogError([{ file, path: '', message: `cannot read the file: ${(e as Error).message}` }]);
    }
    try {
      return { file, data: JSON.parse(text) as unknown };
    } catch (e) {
      throw new CatalogError([{ file, path: '', message: `not valid JSON: ${(e as Error).message}` }]);
    }
  };
  const productsDir = join(dir, 'products');
  let names: string[];
  try {
    names = readdirSync(productsDir);
  } catch (e) {
    // A mistyped folder (`npm run catalog ./catalgo`, CATALOG_DIR) is a catalog problem, not a crash.
    throw new CatalogError([
      { file: productsDir, path: '', message: `cannot read the folder: ${(e as Error).message}` },
    ]);
  }
  const products = names
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => read(join(productsDir, f)));
  return loadCatalog(
    { products, partners: read(join(dir, 'partners.json')) },
    { now: () => performance.now() },
  );
}
