import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const SITE_DIR = join(ROOT, 'dist', 'web');

/**
 * `npm start` serves dist/web; when it is missing and the web sources exist, build it once with
 * Vite's API (same config as `npm run build`). Without web sources the server shows a placeholder.
 */
export async function ensureSiteBuilt(enabled = true): Promise<void> {
  const built = join(SITE_DIR, 'index.html');
  // Up to date when built after every source it is made from (a pull or an edit rebuilds it).
  if (existsSync(built) && newestSource() <= statSync(built).mtimeMs) return;
  if (!enabled) {
    console.log('dist/web is missing and SITE_BUILD=0: serving a placeholder page');
    return;
  }
  if (!existsSync(join(ROOT, 'web', 'index.html'))) {
    console.log('web/ has no index.html yet: serving a placeholder page');
    return;
  }
  console.log(
    existsSync(built)
      ? 'web sources changed: rebuilding the site...'
      : 'dist/web is missing: building the site (once)...',
  );
  const started = performance.now();
  try {
    const { build } = await import('vite');
    // Vite follows NODE_ENV for dependencies' builds: under development or test it would ship
    // Solid's development build. The shop always gets the production one.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    console.log(`site built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.error(`the site build failed; serving the API with a placeholder page: ${(e as Error).message}`);
  }
}

/** Newest modification time among the files the site is built from (web/, catalog/, the Vite config). */
function newestSource(): number {
  let newest = statSync(join(ROOT, 'vite.config.ts')).mtimeMs;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ['web', 'catalog']) if (existsSync(join(ROOT, d))) walk(join(ROOT, d));
  return newest;
}
