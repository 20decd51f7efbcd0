import { CatalogError } from '../catalog/index';
import { loadCatalogFromDisk } from './catalog-files';
import { catalogSummary } from './catalog-summary';

// `npm run catalog [dir]`: check a catalog folder the way `npm start` loads it, and summarise it.
// Exits 1 with every problem (file, JSON path, reason) when the catalog is bad.
try {
  const catalog = loadCatalogFromDisk(process.argv[2] ?? process.env.CATALOG_DIR);
  for (const line of catalogSummary(catalog)) console.log(line);
} catch (e) {
  if (e instanceof CatalogError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
