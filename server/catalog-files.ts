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
    try {
      return { file, data: JSON.parse(readFileSync(path, 'utf8')) as unknown };
    } catch (e) {
      throw new CatalogError([{ file, path: '', message: `not valid JSON: ${(e as Error).message}` }]);
    }
  };
  const productsDir = join(dir, 'products');
  const products = readdirSync(productsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => read(join(productsDir, f)));
  return loadCatalog(
    { products, partners: read(join(dir, 'partners.json')) },
    { now: () => performance.now() },
  );
}
