import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The browser and the server run the same engine, so catalog/ may import nothing that only one
// of them has (node:*, hono, drizzle, better-sqlite3, solid-js, server/, web/), and takes no
// clock or randomness of its own. Biome's noRestrictedImports says the same at lint time.
const forbidden = [
  /from\s+['"](node:|hono|@hono\/|drizzle-orm|better-sqlite3|solid-js|@solidjs\/)/,
  /from\s+['"](\.\.\/)+(server|web)\//,
  /\b(Date\.now|new Date\(|Math\.random|performance\.now|crypto\.)/,
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('catalog/ stays pure', () => {
  it.each(sources(import.meta.dirname))(
    '%s imports no server, page or node code and uses no clock',
    (file) => {
      const text = readFileSync(file, 'utf8');
      for (const re of forbidden) expect(text, `${file} matches ${re}`).not.toMatch(re);
    },
  );
});
