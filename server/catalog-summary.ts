import type { Catalog } from '../catalog/index';

/** One line per product and the partner list: what `npm start` and `npm run catalog` print. */
export function catalogSummary(catalog: Catalog): string[] {
  const lines = [...catalog.products.values()].map((cp) => {
    const p = cp.product;
    return (
      `${p.id} ${p.version}: ${p.name}, ${p.modules.length} modules, ${p.rules.length} rules, ` +
      `${cp.total.toLocaleString('en-US')} valid configurations (diagram: ${cp.stats.nodes} nodes, ` +
      `${cp.stats.compileMs.toFixed(1)} ms)`
    );
  });
  lines.push(`partners: ${catalog.partners.map((p) => `${p.id} (${p.kind})`).join(', ')}`);
  return lines;
}
