import { Hono } from 'hono';
import type { AppDeps } from '../../deps';
import { DomainError, validationError } from '../../errors';
import { cancelOrder } from '../../services/orders/cancel';
import { checkIdempotencyKey, requestHash, withIdempotency } from '../../services/orders/idempotency';
import { placeOrder } from '../../services/orders/place';
import { getOrder, listOrders } from '../../services/orders/read';
import { reorderFromOrder, reorderFromSpec } from '../../services/orders/reorder';
import { readJson } from '../problem';
import { orderRequestSchema } from '../schemas';
import { requireCustomer } from '../session';
import type { AppEnv } from '../types';

export function orderRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post('/api/orders', async (c) => {
      const customer = requireCustomer(c);
      const key = checkIdempotencyKey(c.req.header('idempotency-key'));
      const raw = await readJson(c);
      const hash = requestHash(raw);
      const result = await withIdempotency(deps, customer.id, key, hash, async () => {
        const parsed = orderRequestSchema.safeParse(raw);
        if (!parsed.success) throw validationError(parsed.error);
        rejectAmbiguousLines(raw);
        return placeOrder(deps, {
          customerId: customer.id,
          input: parsed.data,
          idempotency: { key, hash },
        });
      });
      return new Response(result.body, {
        status: result.status,
        headers: {
          'content-type': 'application/json',
          ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}),
        },
      });
    })
    .get('/api/orders', (c) => c.json(listOrders(deps, requireCustomer(c).id)))
    .get('/api/orders/:orderId', (c) => c.json(getOrder(deps, requireCustomer(c).id, c.req.param('orderId'))))
    .post('/api/orders/:orderId/cancel', (c) =>
      c.json(cancelOrder(deps, requireCustomer(c).id, c.req.param('orderId'))),
    )
    .post('/api/orders/:orderId/reorder', (c) =>
      c.json(reorderFromOrder(deps, requireCustomer(c).id, c.req.param('orderId'))),
    )
    .post('/api/specs/:specId/reorder', (c) =>
      c.json(reorderFromSpec(deps, requireCustomer(c).id, c.req.param('specId'))),
    );
}

/**
 * A line names a saved spec OR a product with a selection. Both at once is refused: ordering the
 * product would silently drop the spec (and the measurements the supplier cuts to).
 */
function rejectAmbiguousLines(raw: unknown): void {
  const lines = (raw as { lines: unknown[] }).lines;
  const errors = lines.flatMap((l, i) =>
    l && typeof l === 'object' && 'specId' in l && ('productId' in l || 'selection' in l)
      ? [
          {
            path: `lines.${i}`,
            code: 'ambiguous_line',
            message: 'give either specId, or productId with selection, not both',
          },
        ]
      : [],
  );
  if (errors.length)
    throw new DomainError('validation_failed', 'Some order lines name both a saved spec and a product', {
      errors,
    });
}
