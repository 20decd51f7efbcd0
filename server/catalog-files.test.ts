import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  // Hand-edited files: the shipped catalog with one or more files broken the way an editor breaks them.
  const shipped = join(import.meta.dirname, '..', 'catalog');
  const jeans = readFileSync(join(shipped, 'products', 'jeans.json'), 'utf8');
  function copy(files: Record<string, string | Buffer>): string {
    const out = mkdtempSync(join(dir, 'edited-'));
    cpSync(join(shipped, 'products'), join(out, 'products'), { recursive: true });
    cpSync(join(shipped, 'partners.json'), join(out, 'partners.json'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(out, name), content);
    return out;
  }
  function issues(folder: string) {
    try {
      loadCatalogFromDisk(folder);
    } catch (e) {
      expect(e).toBeInstanceOf(CatalogError);
      return (e as CatalogError).issues.map(
        (i) =>
          `${i.file.slice(i.file.indexOf(folder) + folder.length + 1)}: ${i.path ? `${i.path}: ` : ''}${i.message}`,
      );
    }
    return [];
  }

  it('accepts a UTF-8 byte order mark (Windows Notepad writes one)', () => {
    expect(issues(copy({ 'products/jeans.json': `\uFEFF${jeans}` }))).toEqual([]);
  });

  it('names UTF-16 and empty files plainly, and says where the JSON breaks by line and column', () => {
    const found = issues(
      copy({
        'products/jeans.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(jeans, 'utf16le')]),
        'products/shirt.json': '',
        'partners.json': '{\n  "partners": [],\n}\n',
      }),
    );
    // Every broken file at once, one line each.
    expect(found).toEqual([
      'products/jeans.json: the file is UTF-16; save it as UTF-8',
      'products/shirt.json: the file is empty',
      expect.stringMatching(/^partners\.json: not valid JSON at line 3, column 1: /),
    ]);
    for (const line of found) expect(line).not.toContain('\n');
  });

  it('refuses a 3PL route to a country code that is not assigned, naming the file and the field', () => {
    const partners = readFileSync(join(shipped, 'partners.json'), 'utf8');
    const found = issues(copy({ 'partners.json': partners.replace('"GB"', '"UK"') }));
    expect(found).toEqual([
      expect.stringMatching(
        /^partners\.json: routing\.threePls\[0\]\.countries\[\d+\]: "UK" is not an assigned/,
      ),
    ]);
  });

  it('lists a broken JSON file together with the problems of the files that do parse', () => {
    const broken = jeans.replace('"basePrice": 12900', '"basePrice": "129.00"');
    expect(broken).not.toBe(jeans);
    const found = issues(
      copy({ 'products/jeans.json': broken, 'products/shirt.json': '{ "id": "shirt", }' }),
    );
    // The files that cannot be parsed come first; partners.json names "shirt" without "unknown product".
    expect(found).toEqual([
      'products/shirt.json: not valid JSON at line 1, column 18: Expected double-quoted property name',
      'products/jeans.json: basePrice: Invalid input: expected number, received string',
    ]);
  });
});
