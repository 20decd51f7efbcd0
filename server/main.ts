import { CatalogError } from '../catalog/index';
import { loadCatalogFromDisk } from './catalog-files';

// Until the HTTP server lands (issue 3), `npm start` loads and summarises the catalog.
try {
  const catalog = loadCatalogFromDisk();
  for (const cp of catalog.products.values()) {
    const p = cp.product;
    console.log(
      `${p.id} ${p.version}: ${p.name}, ${p.modules.length} modules, ${p.rules.length} rules, ` +
        `${cp.total.toLocaleString('en-US')} valid configurations (diagram: ${cp.stats.nodes} nodes, ` +
        `${cp.stats.compileMs.toFixed(1)} ms)`,
    );
  }
  console.log(`partners: ${catalog.partners.map((p) => `${p.id} (${p.kind})`).join(', ')}`);
} catch (e) {
  if (e instanceof CatalogError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
