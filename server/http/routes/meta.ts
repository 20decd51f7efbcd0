import { Hono } from 'hono';
import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';
import { openApiDocument } from '../openapi';
import { referencePage } from '../reference-page';
import type { AppEnv } from '../types';

/** Operator and integrator endpoints: health, the OpenAPI document, the reference page. */
export function metaRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/healthz', (c) => {
      try {
        deps.sqlite.prepare('SELECT 1').get();
      } catch (e) {
        throw new DomainError('unavailable', `The database does not answer: ${(e as Error).message}`);
      }
      return c.json({
        status: 'ok',
        database: 'ok',
        catalogVersion: deps.catalog.version,
        time: deps.now().toISOString(),
      });
    })
    .get('/api/openapi.json', (c) => c.json(openApiDocument()))
    .get('/api/docs', (c) => c.html(referencePage()))
    .get('/api/reference', (c) => c.redirect('/api/docs'));
}
