import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseInUse, openDatabase } from '../db/client';

const dir = mkdtempSync(join(tmpdir(), 'tailorloop-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seed = (file: string, ...args: string[]) =>
  spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/seed/cli.ts',
      '--database',
      file,
      '--customers',
      '3',
      '--orders',
      '3',
      ...args,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );

describe('npm run seed:demo -- --reset', () => {
  it('refuses a database a running shop has open, instead of deleting it from under the shop', () => {
    // Before: the file was deleted while the shop kept serving the deleted copy; the console showed
    // the old orders, the seeded history only appeared after a restart, and orders placed meanwhile
    // were lost with the deleted file.
    const file = join(dir, 'open.db');
    const shop = openDatabase(file, { synchronous: 'NORMAL' });
    shop.sqlite.prepare('SELECT count(*) FROM orders').get();
    expect(databaseInUse(file)).toBe(true);
    const inode = statSync(file).ino;
    const run = seed(file, '--reset');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('open in another process');
    expect(statSync(file).ino).toBe(inode);
    shop.sqlite.close();
  });

  it('refuses to seed into a running shop without --reset too (its dispatcher would send the demo webhooks)', () => {
    const file = join(dir, 'live.db');
    const shop = openDatabase(file, { synchronous: 'NORMAL' });
    const run = seed(file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('open in another process');
    expect(shop.sqlite.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 0 });
    shop.sqlite.close();
  });

  it('resets and seeds a database nobody has open', () => {
    const file = join(dir, 'closed.db');
    openDatabase(file, { synchronous: 'NORMAL' }).sqlite.close();
    expect(databaseInUse(file)).toBe(false);
    const run = seed(file, '--reset');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(databaseInUse(join(dir, 'missing.db'))).toBe(false);
  });
});
