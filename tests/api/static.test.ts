import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/http/app';
import { createTestApp } from './setup';

const t = createTestApp();
const site = mkdtempSync(join(tmpdir(), 'tailorloop-site-'));
mkdirSync(join(site, 'assets'));
writeFileSync(join(site, 'index.html'), '<!doctype html><title>shop</title><div id="root"></div>');
writeFileSync(join(site, 'assets', 'app-abc123.js'), 'console.log(1)');
const app = createApp(t.deps, { staticDir: site });
const empty = createApp(t.deps, { staticDir: join(site, 'missing') });
afterAll(() => {
  t.close();
  rmSync(site, { recursive: true, force: true });
});

describe('the built site', () => {
  it('serves files, and index.html for client-side routes', async () => {
    const asset = await app.request('/assets/app-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    for (const path of ['/', '/orders/ord_123', '/configure/jeans']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it('keeps API paths and missing assets as 404 problems', async () => {
    const api = await app.request('/api/nope');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await app.request('/assets/missing.js')).status).toBe(404);
    expect((await app.request('/api/products')).status).toBe(200);
  });

  it('shows a placeholder when the site is not built', async () => {
    const res = await empty.request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/api/docs');
  });
});
