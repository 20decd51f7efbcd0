import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogError } from '../catalog/index';
import { loadCatalogFromDisk } from './catalog-files';

const dir = mkdtempSync(join(tmpdir(), 'tailorloop-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadCatalogFromDisk', () => {
  it('loads the shipped catalog', () => {
    expect(loadCatalogFromDisk().products.size).toBeGreaterThan(0);
  });

  // `npm run catalog <dir>` and `CATALOG_DIR` promise every problem with its file; a folder
  // without products/ was a stack trace from readdirSync (ENOENT) instead.
  it('names a folder without products/ as a catalog problem', () => {
    writeFileSync(join(dir, 'partners.json'), '{}');
    const load = () => loadCatalogFromDisk(dir);
    expect(load).toThrow(CatalogError);
    expect(load).toThrow(/products.*cannot read the folder.*ENOENT/s);
  });

  it('names a folder that does not exist as a catalog problem', () => {
    expect(() => loadCatalogFromDisk(join(dir, 'nope'))).toThrow(CatalogError);
  });

  it('names a missing partners.json as unreadable, not as bad JSON', () => {
    const other = mkdtempSync(join(dir, 'no-partners-'));
    mkdirSync(join(other, 'products'));
    const load = () => loadCatalogFromDisk(other);
    expect(load).toThrow(CatalogError);
    expect(load).toThrow(/partners\.json: cannot read the file: ENOENT/);
  });
});
