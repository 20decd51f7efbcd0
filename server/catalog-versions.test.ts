import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalogFromDisk } from './catalog-files';
import { checkCatalogVersions } from './catalog-versions';
import { openDatabase } from './db/client';

let dir: string;
let db: ReturnType<typeof openDatabase>;
const jeansFile = () => join(dir, 'catalog', 'products', 'jeans.json');
const editJeans = (edit: (j: Record<string, unknown>) => void) => {
  const j = JSON.parse(readFileSync(jeansFile(), 'utf8'));
  edit(j);
  writeFileSync(jeansFile(), JSON.stringify(j, null, 2));
};
const check = (now = 1_700_000_000_000) =>
  checkCatalogVersions(db.sqlite, loadCatalogFromDisk(join(dir, 'catalog')), now);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tailorloop-versions-'));
  cpSync(join(import.meta.dirname, '..', 'catalog'), join(dir, 'catalog'), { recursive: true });
  db = openDatabase(join(dir, 'shop.db'), { synchronous: 'NORMAL' });
});
afterEach(() => {
  db.sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one product version means one definition', () => {
  it('records each product version the first time, and accepts it again unchanged (key order and spacing do not count)', () => {
    expect(check()).toEqual([]);
    const rows = db.sqlite
      .prepare('SELECT product_id, version FROM catalog_versions ORDER BY product_id')
      .all();
    expect(rows.map((r) => (r as { product_id: string }).product_id)).toEqual(['jeans', 'shirt']);
    // The same data written with other key order and indentation is the same definition.
    const j = JSON.parse(readFileSync(jeansFile(), 'utf8'));
    const reordered = Object.fromEntries(Object.entries(j).reverse());
    writeFileSync(jeansFile(), JSON.stringify(reordered));
    expect(check()).toEqual([]);
  });

  it('a product changed under a version already served is a catalog problem naming the file and `version`', () => {
    expect(check(Date.UTC(2026, 10, 23))).toEqual([]);
    editJeans((j) => {
      j.basePrice = (j.basePrice as number) + 1000;
    });
    const issues = check();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'version' });
    expect(issues[0]!.file).toMatch(/products[/\\]jeans\.json$/);
    expect(issues[0]!.message).toMatch(/changed since version 2026\.11\.0 was first served \(2026-11-23\)/);
    // A new version is a new definition: accepted and recorded; the old one is still remembered.
    editJeans((j) => {
      j.version = '2026.12.0';
    });
    expect(check()).toEqual([]);
    const versions = db.sqlite
      .prepare("SELECT version FROM catalog_versions WHERE product_id = 'jeans' ORDER BY version")
      .all()
      .map((r) => (r as { version: string }).version);
    expect(versions).toEqual(['2026.11.0', '2026.12.0']);
  });
});
