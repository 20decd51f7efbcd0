import { serve } from '@hono/node-server';
import { type Catalog, CatalogError } from '../catalog/index';
import { loadCatalogFromDisk } from './catalog-files';
import { catalogSummary } from './catalog-summary';
import { createDeps } from './deps';
import { type Env, EnvError, loadEnv } from './env';
import { createApp } from './http/app';
import { ensureSiteBuilt, SITE_DIR } from './site-build';
import { startWebhookServices } from './webhooks/boot';
import { seedPartners } from './webhooks/partners';

// `npm start`: settings, catalog, database (migrated), partners seeded, then the HTTP server.
function boot(): { env: Env; catalog: Catalog } {
  try {
    const env = loadEnv();
    const catalog = loadCatalogFromDisk(env.CATALOG_DIR);
    return { env, catalog };
  } catch (e) {
    if (e instanceof CatalogError || e instanceof EnvError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}

const { env, catalog } = boot();
for (const line of catalogSummary(catalog)) console.log(line);

const deps = createDeps({ env, catalog });
seedPartners(deps.db, catalog, deps.now);
await ensureSiteBuilt(env.SITE_BUILD);
const app = createApp(deps, { staticDir: SITE_DIR });

let webhooks: ReturnType<typeof startWebhookServices> | undefined;
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  console.log(`Tailorloop listening on http://${host}:${info.port} (database ${env.DATABASE_PATH})`);
  if (env.ADMIN_TOKEN_GENERATED) console.log(`ADMIN_TOKEN (generated for this run): ${env.ADMIN_TOKEN}`);
  for (const w of env.warnings) console.warn(`Warning: ${w}`);
  webhooks = startWebhookServices(deps, info);
});

function shutdown(signal: string): void {
  console.log(`${signal}: shutting down`);
  server.close(async () => {
    await (await webhooks)?.stop();
    deps.sqlite.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
