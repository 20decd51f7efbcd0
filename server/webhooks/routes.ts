import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { DomainError } from '../errors';
import { parseBody, readText } from '../http/problem';
import {
  getDelivery,
  getPartner,
  listDeliveries,
  listInboundEvents,
  listPartners,
  redeliver,
  rotateSecret,
  updatePartner,
} from './admin';
import { receivePartnerEvent } from './inbound';
import type { Resolver } from './ssrf';

// `{ url?, enabled? }`, and the rest of the object GET returns so it can be sent back whole:
// `id`, `name` and `kind` are read-only (422 `read_only` when one differs from the partner's,
// checked in updatePartner); the fields the server keeps (disabledReason, createdAt...) and any
// other extra field are ignored, as CONTRACT.md allows extra fields. Loose, not stripped:
// updatePartner names the other extra fields in the answer (`ignoredFields`).
const patchPartnerSchema = z.looseObject({
  url: z.string().max(2000).nullable().optional(),
  enabled: z.boolean().optional(),
  id: z.unknown().optional(),
  name: z.unknown().optional(),
  kind: z.unknown().optional(),
});

const rotateSchema = z
  .object({
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600)
      .optional(),
  })
  .strict();

/** One or more values: repeated (`?status=a&status=b`) or comma-separated (`?status=a,b`). */
const oneOrMore = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    const list = (Array.isArray(v) ? v : v === undefined ? [] : [v])
      .flatMap((s) => String(s).split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    return list.length ? [...new Set(list)] : undefined;
  }, z.array(item).optional());

const deliveriesQuery = z.object({
  status: oneOrMore(z.enum(['pending', 'delivered', 'failed'])),
  partnerId: z.string().max(200).optional(),
  orderId: z.string().max(200).optional(),
  eventType: z.string().max(100).optional(),
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

const inboundQuery = z.object({
  partnerId: z.string().max(200).optional(),
  orderId: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/**
 * The query as `schema` reads it: every parameter's values (a list where the schema takes several,
 * else the first), and an empty value (`?status=`) as not given, for every parameter alike.
 */
function query<S extends z.ZodObject>(c: Context, schema: S): z.output<S> {
  const input: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    const given = values.filter((v) => v !== '');
    if (given.length === 0) continue;
    const field = schema.shape[key] as z.ZodType | undefined;
    input[key] = field && acceptsList(field) ? given : given[0]!;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new DomainError('validation_failed', 'Some query parameters are wrong', {
      errors: parsed.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        code: i.code,
        message: i.message,
      })),
    });
  }
  return parsed.data;
}

function acceptsList(field: z.ZodType): boolean {
  return field instanceof z.ZodPipe || field instanceof z.ZodArray;
}

/**
 * Operator routes for partners and deliveries, and the inbound endpoint partners post status to.
 * Mounted by the app with `app.route('/', webhookRoutes(deps))`, which asks every `/api/admin/*`
 * request for the operator token first (`server/http/admin-auth.ts`).
 */
export function webhookRoutes(deps: AppDeps, options: { resolve?: Resolver } = {}) {
  return new Hono()
    .get('/api/admin/partners', (c) => c.json(listPartners(deps)))
    .get('/api/admin/partners/:partnerId', (c) => c.json(getPartner(deps, c.req.param('partnerId'))))
    .patch('/api/admin/partners/:partnerId', async (c) => {
      getPartner(deps, c.req.param('partnerId')); // an unknown partner is 404 whatever the body
      const patch = await parseBody(c, patchPartnerSchema);
      return c.json(await updatePartner(deps, c.req.param('partnerId'), patch, options.resolve));
    })
    .post('/api/admin/partners/:partnerId/rotate-secret', async (c) => {
      const text = await readText(c);
      let body: unknown = {};
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch (e) {
          throw new DomainError('malformed_json', (e as Error).message);
        }
      }
      const parsed = rotateSchema.safeParse(body);
      if (!parsed.success) {
        throw new DomainError('validation_failed', 'The request is not valid', {
          errors: parsed.error.issues.map((i) => ({
            path: i.path.map(String).join('.'),
            code: i.code,
            message: i.message,
          })),
        });
      }
      c.header('cache-control', 'no-store');
      return c.json(rotateSecret(deps, c.req.param('partnerId'), parsed.data));
    })
    .get('/api/admin/deliveries', (c) => c.json(listDeliveries(deps, query(c, deliveriesQuery))))
    .get('/api/admin/deliveries/:deliveryId', (c) => c.json(getDelivery(deps, c.req.param('deliveryId'))))
    .post('/api/admin/deliveries/:deliveryId/redeliver', (c) =>
      c.json(redeliver(deps, c.req.param('deliveryId')), 202),
    )
    .get('/api/admin/inbound-events', (c) => c.json(listInboundEvents(deps, query(c, inboundQuery))))
    .post('/api/partners/:partnerId/events', async (c) => {
      // The bytes as received: the partner signed those, and decoding first (a BOM dropped, bytes
      // that are not UTF-8 replaced) made a correctly signed event fail as a bad signature.
      const rawBody = new Uint8Array(await c.req.arrayBuffer());
      const result = receivePartnerEvent(deps, {
        partnerId: c.req.param('partnerId'),
        rawBody,
        headers: {
          id: c.req.header('webhook-id'),
          timestamp: c.req.header('webhook-timestamp'),
          signature: c.req.header('webhook-signature'),
        },
      });
      return c.json({ received: true, ...result }, 200);
    });
}
