import { Hono } from 'hono';
import type { AppDeps } from '../../deps';
import { configure } from '../../services/catalog/configure';
import { getProduct, listProducts } from '../../services/catalog/list-products';
import { quote } from '../../services/catalog/quote';
import { parseBody } from '../problem';
import { configureRequestSchema, quoteRequestSchema } from '../schemas';
import type { AppEnv } from '../types';

/** Products, the configurator's engine answers and quotes: public, read-only, no session. */
export function catalogRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/api/products', (c) => c.json(listProducts(deps)))
    .get('/api/products/:productId', (c) => c.json(getProduct(deps, c.req.param('productId'))))
    .post('/api/configure', async (c) =>
      c.json(configure(deps, await parseBody(c, configureRequestSchema, { modulesOf: 'selection' }))),
    )
    .post('/api/quote', async (c) =>
      c.json(quote(deps, await parseBody(c, quoteRequestSchema, { modulesOf: 'selection' }))),
    );
}
