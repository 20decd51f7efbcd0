import { Hono } from 'hono';
import type { AppDeps } from '../../deps';
import { deleteSpec } from '../../services/specs/delete';
import { getSpec, listSpecs, listSpecVersions } from '../../services/specs/read';
import { saveSpec } from '../../services/specs/save';
import { updateSpec } from '../../services/specs/update';
import { findOwnSpec } from '../../services/specs/view';
import { parseBody } from '../problem';
import { specCreateSchema, specPatchSchema } from '../schemas';
import { requireCustomer } from '../session';
import type { AppEnv } from '../types';

/** Remembered specs: always scoped to the signed-in customer. */
export function specRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/api/specs', (c) => c.json(listSpecs(deps, requireCustomer(c).id)))
    .post('/api/specs', async (c) => {
      const customer = requireCustomer(c);
      const spec = saveSpec(deps, customer.id, await parseBody(c, specCreateSchema));
      c.header('location', `/api/specs/${spec.id}`);
      return c.json(spec, 201);
    })
    .get('/api/specs/:specId', (c) => c.json(getSpec(deps, requireCustomer(c).id, c.req.param('specId'))))
    .get('/api/specs/:specId/versions', (c) =>
      c.json(listSpecVersions(deps, requireCustomer(c).id, c.req.param('specId'))),
    )
    .patch('/api/specs/:specId', async (c) => {
      const customer = requireCustomer(c);
      // Another customer's spec (or none) is 404 whatever the body: checked before the body, which
      // answered a foreign spec's bad PATCH with the 422 of its fields.
      findOwnSpec(deps, customer.id, c.req.param('specId'));
      const patch = await parseBody(c, specPatchSchema);
      return c.json(updateSpec(deps, customer.id, c.req.param('specId'), patch));
    })
    .delete('/api/specs/:specId', (c) => {
      deleteSpec(deps, requireCustomer(c).id, c.req.param('specId'));
      return c.body(null, 204);
    });
}
