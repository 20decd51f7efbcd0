import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import {
  type Catalog,
  CatalogError,
  type CatalogFile,
  type CatalogIssue,
  loadCatalog,
} from '../catalog/index';

/**
 * Reads `catalog/products/*.json` and `catalog/partners.json` from disk and loads them through
 * the pure catalog loader. A bad file throws CatalogError naming the file and JSON path; a file
 * that cannot be read or parsed is listed together with every problem of the files that can.
 */
export function loadCatalogFromDisk(dir: string = join(import.meta.dirname, '..', 'catalog')): Catalog {
  const unreadable: { issues: CatalogIssue[]; productIds: string[] } = { issues: [], productIds: [] };
  const read = (path: string, isProduct: boolean): CatalogFile | null => {
    // Relative to where the command runs when inside it (catalog/products/jeans.json), else absolute.
    const rel = relative(process.cwd(), path);
    const file = rel && !rel.startsWith('..') ? rel : path;
    const fail = (message: string, text?: string) => {
      unreadable.issues.push({ file, path: '', message });
      // Routes naming this product are not reported a second time as "unknown product".
      const id = text && /"id"\s*:\s*"([^"]*)"/.exec(text)?.[1];
      if (isProduct) unreadable.productIds.push(id || basename(path, '.json'));
      return null;
    };
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      return fail(`cannot read the file: ${(e as Error).message}`);
    }
    const text = decode(bytes);
    if (text === null) return fail('the file is UTF-16; save it as UTF-8');
    if (text.trim() === '') return fail('the file is empty');
    try {
      return { file, data: JSON.parse(text) as unknown };
    } catch (e) {
      return fail(`not valid JSON${where(text, e as Error)}`, text);
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
    .map((f) => read(join(productsDir, f), true))
    .filter((f) => f !== null);
  const partners = read(join(dir, 'partners.json'), false);
  return loadCatalog({ products, partners, unreadable }, { now: () => performance.now() });
}

/** UTF-8 text without its byte order mark, or null for UTF-16 (what some editors save). */
function decode(bytes: Buffer): string | null {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  )
    return null;
  // UTF-16 without a byte order mark: ASCII text with every other byte zero.
  if (bytes.length >= 4 && (bytes[0] === 0 || bytes[1] === 0) && bytes.subarray(0, 64).includes(0))
    return null;
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** " at line L, column C: reason" from JSON.parse's "… at position N", on one line. */
function where(text: string, e: Error): string {
  const reason = e.message.split('\n')[0]!.replace(/,? ".*$/, '');
  const m = /at position (\d+)/.exec(e.message);
  const pos = m ? Number(m[1]) : /end of JSON input/.test(e.message) ? text.length : -1;
  // Node 20 gives no position for an unexpected token: a comment is the usual one.
  if (pos < 0)
    return `: ${reason}${/token '\/'/.test(reason) ? ' (JSON has no comments: remove // and /* */)' : ''}`;
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}: ${reason.replace(/ in JSON at position \d+.*$/, '')}`;
}
