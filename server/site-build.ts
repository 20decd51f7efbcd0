import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const SITE_DIR = join(ROOT, 'dist', 'web');

/**
 * `npm start` serves dist/web; when it is missing and the web sources exist, build it once with
 * Vite's API (same config as `npm run build`). Without web sources the server shows a placeholder.
 */
export async function ensureSiteBuilt(enabled = true): Promise<void> {
  if (existsSync(join(SITE_DIR, 'index.html'))) return;
  if (!enabled) {
    console.log('dist/web is missing and SITE_BUILD=0: serving a placeholder page');
    return;
  }
  if (!existsSync(join(ROOT, 'web', 'index.html'))) {
    console.log('web/ has no index.html yet: serving a placeholder page');
    return;
  }
  console.log('dist/web is missing: building the site (once)...');
  const started = performance.now();
  try {
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    console.log(`site built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.error(`the site build failed; serving the API with a placeholder page: ${(e as Error).message}`);
  }
}
