import type Database from 'better-sqlite3';
import type { Catalog, CatalogIssue } from '../catalog/index';
import { requestHash } from './services/orders/idempotency';

/**
 * Specs and order lines name the product version they were made with, and a spec's "price then"
 * is today's price while its version is current (decision 014). So one version must always mean
 * one definition. Each product version is recorded with a fingerprint of its file's data the
 * first time the shop serves it; a product whose data changed under a version already served is
 * a catalog problem (give it a new `version`), reported like every other one.
 *
 * The fingerprint is the canonical-JSON hash used for Idempotency-Key bodies: key order and
 * whitespace do not count, any change of value does (a label, a price, an option). It hashes the
 * file's data, not the compiled product, so a new version of the shop's code never changes it.
 */
export function checkCatalogVersions(
  sqlite: Database.Database,
  catalog: Catalog,
  now: number = Date.now(),
): CatalogIssue[] {
  const find = sqlite.prepare<[string, string], { fingerprint: string; first_seen_at: number }>(
    'SELECT fingerprint, first_seen_at FROM catalog_versions WHERE product_id = ? AND version = ?',
  );
  const record = sqlite.prepare<[string, string, string, number]>(
    'INSERT INTO catalog_versions (product_id, version, fingerprint, first_seen_at) VALUES (?, ?, ?, ?)',
  );
  const issues: CatalogIssue[] = [];
  sqlite
    .transaction(() => {
      for (const [id, cp] of catalog.products) {
        const source = catalog.sources?.get(id);
        if (!source) continue;
        const version = cp.product.version;
        const fingerprint = requestHash(source.data);
        const seen = find.get(id, version);
        if (!seen) record.run(id, version, fingerprint, now);
        else if (seen.fingerprint !== fingerprint)
          issues.push({
            file: source.file,
            path: 'version',
            message:
              `product "${id}" changed since version ${version} was first served ` +
              `(${new Date(seen.first_seen_at).toISOString().slice(0, 10)}); specs and orders made with ` +
              `${version} mean the earlier definition, so give the changed product a new version`,
          });
      }
    })
    .immediate();
  return issues;
}
