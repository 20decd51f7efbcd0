import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { AppEnv } from './types';

const PLACEHOLDER = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tailorloop</title></head>
<body><h1>Tailorloop</h1><p>The shop is not built yet. The API is live: see <a href="/api/docs">the API reference</a>.</p></body></html>`;

/**
 * Serves the built shop from `dir` at `/`: real files first (hashed assets cached for a year),
 * then index.html for any other non-API GET so client-side routes survive a reload. Without a
 * build, a small placeholder page points at the API reference.
 */
export function mountStaticSite(app: Hono<AppEnv>, dir: string): void {
  const root = resolve(dir);
  const indexPath = join(root, 'index.html');
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('cache-control', 'public, max-age=31536000, immutable');
  });
  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/api/') || c.req.path === '/api' || c.req.path === '/healthz') return next();
    return serveStatic({ root })(c, next);
  });
  app.get('*', (c, next) => {
    const path = c.req.path;
    if (path.startsWith('/api/') || path === '/api' || path === '/healthz') return next();
    // A missing file with an extension is a real 404 (not the app shell).
    if (/\.[a-z0-9]+$/i.test(path) && !path.endsWith('.html')) return next();
    c.header('cache-control', 'no-cache');
    return c.html(existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : PLACEHOLDER);
  });
}
