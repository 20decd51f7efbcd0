import { Hono } from 'hono';
import type { z } from 'zod';
import type { AppDeps } from '../../deps';
import { bodyError, DomainError, type FieldError, zodFieldErrors } from '../../errors';
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
        if (!parsed.success) throw bodyError(orderFieldErrors(parsed.error, raw));
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
          // 201 names what it created (RFC 9110 §15.3.2), the replay included.
          ...(result.orderId ? { location: `/api/orders/${result.orderId}` } : {}),
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

/**
 * The field errors of an order body. A line is a product line or a spec line (a union), and zod
 * answers a wrong line with one `invalid_union` at `lines.N`, "Invalid input", whatever the
 * mistake: the line's own keys say which kind it is meant to be, so its errors are that kind's,
 * with their paths (`lines.0.quantity`: a whole number). A line with neither key says so.
 */
function orderFieldErrors(error: z.ZodError, raw: unknown): FieldError[] {
  const lines = (raw as { lines?: unknown } | null)?.lines;
  return error.issues.flatMap((issue): FieldError[] => {
    const [root, index, ...rest] = issue.path;
    if (issue.code !== 'invalid_union' || root !== 'lines' || typeof index !== 'number' || rest.length)
      return zodFieldErrors({ issues: [issue] });
    const line = Array.isArray(lines) ? (lines[index] as unknown) : undefined;
    const kind =
      line && typeof line === 'object' && !Array.isArray(line)
        ? 'specId' in line
          ? 1
          : 'productId' in line || 'selection' in line
            ? 0
            : -1
        : -1;
    const branch = kind >= 0 ? issue.errors[kind] : undefined;
    if (!branch?.length)
      return [
        {
          path: `lines.${index}`,
          code: 'invalid_line',
          message: 'a line is an object with productId, selection and quantity, or specId and quantity',
        },
      ];
    return zodFieldErrors({ issues: branch }, ['lines', String(index)]);
  });
}
