import { z } from 'zod';
import { PROBLEM_BASE, PROBLEMS } from '../errors';
import { ONE_TO_ONE_OPERATIONS } from './routes/one-to-one-openapi';
import './schemas';

// The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with
// (server/http/schemas.ts registers each under its id). Operations are listed here as data.

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth?: 'session' | 'admin' | 'signature';
  request?: string;
  headers?: Array<{ name: string; required: boolean; description: string }>;
  responses: Record<number, { description: string; schema?: string; array?: boolean }>;
}

const problem = (description: string) => ({ description, schema: 'Problem' });
const R401 = { 401: problem('Not signed in') };
const R422 = { 422: problem('Valid JSON, wrong request: `errors` lists each field at fault') };
const R400 = { 400: problem('Malformed JSON') };

export const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/healthz',
    tag: 'Operations',
    summary: 'Health: the database answers',
    responses: { 200: { description: 'Healthy', schema: 'Health' }, 503: problem('Database unreachable') },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'Operations',
    summary: 'This OpenAPI 3.1 document',
    responses: { 200: { description: 'OpenAPI document' } },
  },
  {
    method: 'get',
    path: '/api/docs',
    tag: 'Operations',
    summary: 'The same reference as a readable HTML page (`/api/reference` redirects here)',
    responses: { 200: { description: 'HTML page' } },
  },
  {
    method: 'get',
    path: '/api/products',
    tag: 'Catalog',
    summary: 'List products',
    responses: { 200: { description: 'Products', schema: 'ProductSummary', array: true } },
  },
  {
    method: 'get',
    path: '/api/products/{productId}',
    tag: 'Catalog',
    summary: 'The expanded product definition the configurator runs on',
    responses: { 200: { description: 'Product', schema: 'Product' }, 404: problem('Unknown product') },
  },
  {
    method: 'post',
    path: '/api/configure',
    tag: 'Catalog',
    summary: 'Engine answer for a (partial) selection',
    description:
      'Which options remain available (with reasons when not), how many valid completions remain (`count`: a JSON number up to 2^53-1, else a decimal string), and the price and spec code once complete. Conflicting choices are `200` with `valid: false`; options the product does not have are `422`. A free text the product will never accept (too long, characters that cannot be stitched) is also `200` with `valid: false`, `count: 0` and every option `available: false` (its reason names the text) until the text is fixed.',
    request: 'ConfigureRequest',
    responses: {
      200: { description: 'Engine answer', schema: 'ConfigureResponse' },
      ...R400,
      404: problem('Unknown product'),
      ...R422,
    },
  },
  {
    method: 'post',
    path: '/api/quote',
    tag: 'Catalog',
    summary: 'Price a complete configuration',
    request: 'QuoteRequest',
    responses: {
      200: { description: 'Quote', schema: 'Quote' },
      ...R400,
      404: problem('Unknown product'),
      422: problem('Not valid or not complete: `errors[].path` names each module'),
    },
  },
  {
    method: 'post',
    path: '/api/auth/register',
    tag: 'Customers',
    summary: 'Create an account and sign in (sets the session cookie)',
    request: 'RegisterRequest',
    responses: {
      201: { description: 'Signed in', schema: 'Customer' },
      ...R400,
      409: problem('Email already registered'),
      422: problem(
        'Valid JSON, wrong request: `errors` lists each field at fault. A password of 10+ characters that is still among the first guesses (a run like `1234567890`, a common word with digits, mostly the email or name) is `errors[].code: weak_password`, with the reason in `message`',
      ),
      429: problem('Too many registrations from this address (a 409 counts too); see Retry-After'),
    },
  },
  {
    method: 'post',
    path: '/api/auth/login',
    tag: 'Customers',
    summary: 'Sign in (sets a NEW session cookie)',
    request: 'LoginRequest',
    responses: {
      200: { description: 'Signed in', schema: 'Customer' },
      ...R400,
      401: problem('Wrong email or password'),
      ...R422,
      429: problem('Too many failures; see Retry-After'),
    },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    tag: 'Customers',
    summary: 'Sign out: the session ends server-side',
    responses: { 204: { description: 'Signed out' } },
  },
  {
    method: 'get',
    path: '/api/me',
    tag: 'Customers',
    summary: 'The signed-in customer',
    auth: 'session',
    responses: { 200: { description: 'Customer', schema: 'Customer' }, ...R401 },
  },
  {
    method: 'get',
    path: '/api/specs',
    tag: 'Specs',
    summary: 'Remembered specs',
    auth: 'session',
    responses: { 200: { description: 'Specs', schema: 'Spec', array: true }, ...R401 },
  },
  {
    method: 'post',
    path: '/api/specs',
    tag: 'Specs',
    summary: 'Remember a valid, complete configuration',
    auth: 'session',
    request: 'SpecCreate',
    responses: {
      201: { description: 'Spec (header `Location: /api/specs/{specId}`)', schema: 'Spec' },
      ...R400,
      ...R401,
      404: problem('Unknown product'),
      ...R422,
    },
  },
  {
    method: 'get',
    path: '/api/specs/{specId}',
    tag: 'Specs',
    summary:
      'A spec, with `validity` against today’s catalog (changed modules and the nearest valid alternative)',
    auth: 'session',
    responses: {
      200: { description: 'Spec', schema: 'Spec' },
      ...R401,
      404: problem('Unknown, or another customer’s'),
    },
  },
  {
    method: 'patch',
    path: '/api/specs/{specId}',
    tag: 'Specs',
    summary: 'Change a spec (the previous version is kept)',
    description:
      'Send only what changes, or the spec as read with GET. A spec’s product never changes: a `productId` other than the spec’s own is `422` (`errors[].code: immutable`; save a new spec instead), the same `productId` is accepted and ignored.',
    auth: 'session',
    request: 'SpecPatch',
    responses: {
      200: { description: 'Spec', schema: 'Spec' },
      ...R400,
      ...R401,
      404: problem('Unknown, or another customer’s'),
      422: problem(
        'Invalid fields or selection (`errors` names each), or another `productId` (`errors[].code: immutable`)',
      ),
    },
  },
  {
    method: 'delete',
    path: '/api/specs/{specId}',
    tag: 'Specs',
    summary: 'Forget a spec',
    auth: 'session',
    responses: { 204: { description: 'Deleted' }, ...R401, 404: problem('Unknown, or another customer’s') },
  },
  {
    method: 'get',
    path: '/api/specs/{specId}/versions',
    tag: 'Specs',
    summary: 'Every version of a spec, newest first',
    auth: 'session',
    responses: {
      200: { description: 'Versions', schema: 'SpecVersion', array: true },
      ...R401,
      404: problem('Unknown, or another customer’s'),
    },
  },
  {
    method: 'post',
    path: '/api/specs/{specId}/reorder',
    tag: 'Orders',
    summary: 'Order draft from a spec, re-checked against today’s catalog',
    auth: 'session',
    responses: {
      200: { description: 'Draft; POST its `orderRequest` to /api/orders', schema: 'ReorderDraft' },
      ...R401,
      404: problem('Unknown, or another customer’s'),
    },
  },
  {
    method: 'post',
    path: '/api/orders',
    tag: 'Orders',
    summary: 'Place an order',
    auth: 'session',
    request: 'OrderRequest',
    description:
      'Every line is validated, priced and routed by the server (client prices are ignored). A line names either a saved spec (`specId`) or a product with a selection (`productId`, `selection`); a line with both is 422 (`errors[].code: ambiguous_line`). `shipTo.country` must be an assigned ISO 3166-1 alpha-2 code (any case, answered upper case; `XK` for Kosovo is accepted, `UK` or `EU` are 422); `line2` and `region` sent as null or blank are left out of the order and of the 3PL’s webhook. A body nested deeper than 32 levels is 422 (`errors[].code: too_deep`). Idempotent per customer: the same `Idempotency-Key` and body replays the stored response (header `Idempotent-Replayed: true`) for at least 24 h; the same key with another body is 422; while the first is still being processed, 409. A request rejected with 4xx stores nothing, so the same key can be used again with a corrected body.',
    headers: [
      { name: 'Idempotency-Key', required: true, description: '1-255 characters, unique per order attempt' },
    ],
    responses: {
      201: {
        description: 'Order (header `Location: /api/orders/{orderId}`, also on a replay)',
        schema: 'Order',
      },
      400: problem('Malformed JSON or missing Idempotency-Key'),
      ...R401,
      404: problem('A line names an unknown or foreign spec'),
      409: problem('Same key still in flight'),
      413: problem('Body too large'),
      422: problem(
        'Invalid lines or ship-to (each named in `errors`; `ambiguous_line`, `too_deep` among the codes), no partner can make or ship it (`unroutable`), or the key reused with another body (`idempotency_key_reused`)',
      ),
    },
  },
  {
    method: 'get',
    path: '/api/orders',
    tag: 'Orders',
    summary: 'Order history, newest first',
    auth: 'session',
    responses: { 200: { description: 'Orders', schema: 'Order', array: true }, ...R401 },
  },
  {
    method: 'get',
    path: '/api/orders/{orderId}',
    tag: 'Orders',
    summary: 'An order with its timeline and shipments',
    auth: 'session',
    responses: {
      200: { description: 'Order', schema: 'Order' },
      ...R401,
      404: problem('Unknown, or another customer’s'),
    },
  },
  {
    method: 'post',
    path: '/api/orders/{orderId}/cancel',
    tag: 'Orders',
    summary: 'Cancel while no supplier has accepted',
    auth: 'session',
    responses: {
      200: { description: 'Order', schema: 'Order' },
      ...R401,
      404: problem('Unknown, or another customer’s'),
      409: problem('A supplier already accepted it'),
    },
  },
  {
    method: 'post',
    path: '/api/orders/{orderId}/reorder',
    tag: 'Orders',
    summary: 'Order draft from a past order: price then and now, retired options with nearest replacements',
    auth: 'session',
    responses: {
      200: { description: 'Draft; POST its `orderRequest` to /api/orders', schema: 'ReorderDraft' },
      ...R401,
      404: problem('Unknown, or another customer’s'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/partners',
    tag: 'Partners',
    summary: 'Partners (no secrets)',
    auth: 'admin',
    responses: {
      200: { description: 'Partners', schema: 'Partner', array: true },
      401: problem('Missing or wrong admin token'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/partners/{partnerId}',
    tag: 'Partners',
    summary: 'One partner (no secret)',
    auth: 'admin',
    responses: {
      200: { description: 'Partner', schema: 'Partner' },
      401: problem('Missing or wrong admin token'),
      404: problem('Unknown partner'),
    },
  },
  {
    method: 'patch',
    path: '/api/admin/partners/{partnerId}',
    tag: 'Partners',
    summary: 'Set a partner’s webhook URL or enable/disable it',
    description:
      'Body `{ url?, enabled? }`; the object GET returns may be sent back whole: `id`, `name` and `kind` are read-only and ignored when equal to the partner’s (a different value is 422 `read_only` naming the field), the fields the server keeps (`disabledReason`, `previousSecretExpiresAt`, `createdAt`, `updatedAt`) and other extra fields are ignored; the answer lists those other ones (no partner field at all, e.g. a typo such as `enable` or `URL`) in `ignoredFields`, absent when there are none. `url: null` removes the URL; the URL the partner already has is kept without being checked again; `enabled: true` clears `disabledReason`.',
    auth: 'admin',
    responses: {
      200: { description: 'Partner', schema: 'Partner' },
      ...R400,
      401: problem('Missing or wrong admin token'),
      404: problem('Unknown partner'),
      422: problem(
        'URL not http(s), private, or carrying a user name or password (`credentials`), `enabled` not a boolean, or a read-only field (`id`, `name`, `kind`) that differs (`read_only`)',
      ),
    },
  },
  {
    method: 'post',
    path: '/api/admin/partners/{partnerId}/rotate-secret',
    tag: 'Partners',
    summary: 'Rotate the signing secret (shown once)',
    description:
      'Optional body `{ graceSeconds }`: how long the old secret keeps signing and verifying alongside the new one (default `WEBHOOK_SECRET_GRACE_HOURS`, 24 h; `0` revokes it at once).',
    auth: 'admin',
    responses: {
      200: { description: '`{ secret }` (`whsec_` + base64)', schema: 'PartnerSecret' },
      ...R400,
      401: problem('Missing or wrong admin token'),
      404: problem('Unknown partner'),
      ...R422,
    },
  },
  {
    method: 'get',
    path: '/api/admin/deliveries',
    tag: 'Partners',
    summary: 'Webhook deliveries, newest first',
    description:
      'Each `{ id, partnerId, eventType, orderId, status, attempts, lastStatusCode?, lastError?, nextAttemptAt?, createdAt, deliveredAt? }`; a field with nothing to say is left out, never `null` (`nextAttemptAt` only while pending). Filters `status=pending|delivered|failed` (several: repeated, `status=pending&status=failed`, or comma-separated), `partnerId`, `orderId`, `eventType`; an empty value is no filter; `limit` (1000 by default, up to 10000) and `before` (the last id of the previous page).',
    auth: 'admin',
    responses: {
      200: { description: 'Deliveries', schema: 'Delivery', array: true },
      401: problem('Missing or wrong admin token'),
      422: problem('A filter value is wrong, or `before` names no delivery'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/deliveries/{deliveryId}',
    tag: 'Partners',
    summary: 'One delivery with its payload and every attempt',
    auth: 'admin',
    responses: {
      200: { description: 'Delivery', schema: 'DeliveryDetail' },
      401: problem('Missing or wrong admin token'),
      404: problem('Unknown delivery'),
    },
  },
  {
    method: 'post',
    path: '/api/admin/deliveries/{deliveryId}/redeliver',
    tag: 'Partners',
    summary: 'Send a delivery again (same `webhook-id`, a fresh round of retries)',
    auth: 'admin',
    responses: {
      202: {
        description:
          'Queued: `{ id, status: "pending", nextAttemptAt }`, plus `note` when it will wait (the partner is disabled or has no URL, or an attempt is in flight: the fresh round starts when it ends, unless it delivers) and why',
      },
      401: problem('Missing or wrong admin token'),
      404: problem('Unknown delivery'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/inbound-events',
    tag: 'Partners',
    summary:
      'Events partners posted back and what each did (`?partnerId=`, `?orderId=`, `?limit=` 100 by default, up to 1000)',
    auth: 'admin',
    responses: {
      200: { description: 'Inbound events', schema: 'InboundEvent', array: true },
      401: problem('Missing or wrong admin token'),
      422: problem('A filter value is wrong'),
    },
  },
  {
    method: 'post',
    path: '/api/partners/{partnerId}/events',
    tag: 'Partners',
    summary: 'Inbound partner status events (Standard Webhooks signature)',
    auth: 'signature',
    description:
      'Body `{ type, timestamp, data: { orderId, lineIds?, ... } }`, signed with the partner’s own secret (headers `webhook-id`, `webhook-timestamp`, `webhook-signature`). The answer is `{ received: true, outcome: "applied"|"ignored", duplicate, detail, orderStatus }`; an event that would move an order backwards is `ignored`. A `webhook-id` this partner already sent answers 200 `duplicate: true` with no second effect, whatever the body carries this time. See docs/webhooks.md.',
    responses: {
      200: { description: 'Accepted (also for a repeated webhook-id)', schema: 'InboundAck' },
      400: problem('Body not JSON'),
      401: problem(
        'Unsigned, badly signed or timestamp more than 300 s away (whole seconds: exactly 300 s is accepted); an unknown partner id is answered the same way, with the same body, so ids cannot be probed',
      ),
      404: problem('An order that was not sent to this partner'),
      422: problem(
        'Unknown type, an event this kind of partner does not send, a shipment without carrier or tracking number, a line that is not this partner’s',
      ),
    },
  },
];

/** Every documented operation: the core API above and the learning loop and console. */
export const ALL_OPERATIONS: Operation[] = [...OPERATIONS, ...(ONE_TO_ONE_OPERATIONS as Operation[])];

const UNAVAILABLE =
  '`unavailable`: storage full or failing, or the server is shutting down; nothing was done, the same request can succeed after `Retry-After` seconds';

/**
 * An operation's responses with the ones every route can give added: a mutation from another
 * site is refused (403, except bearer and signed routes, which carry no cookie), a body over
 * BODY_LIMIT is 413, a body labelled as a form encoding is 415 (server/http/content-type.ts), and
 * storage trouble or shutdown is 503 (server/http/app.ts, server/main.ts).
 */
export function responsesOf(op: Operation): Operation['responses'] {
  const out = { ...op.responses };
  const mutation = op.method !== 'get';
  if (
    mutation &&
    !op.path.startsWith('/api/admin/') &&
    !op.path.startsWith('/api/partners/') &&
    op.path.startsWith('/api/')
  )
    out[403] ??= problem('`cross_site_request`: the browser says the request comes from another site');
  if (op.method === 'post' || op.method === 'patch')
    out[413] ??= problem('Body larger than the limit (1 MB by default)');
  if (mutation && op.path.startsWith('/api/') && !op.path.startsWith('/api/partners/'))
    out[415] ??= problem(
      '`unsupported_media_type`: the body is labelled as an HTML form (`application/x-www-form-urlencoded`, `multipart/*`), what a cross-site form sends; any other label is read as JSON (`application/json`, `*+json`, none, or the `text/plain;charset=UTF-8` of a browser `fetch` with a string body). The answer carries `Accept-Post` (`Accept-Patch` for PATCH): `application/json`',
    );
  out[503] = problem(out[503] ? `${out[503].description}; or ${UNAVAILABLE}` : UNAVAILABLE);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => Number(a) - Number(b)));
}

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } },
};

const REQUEST_IDS = new Set([
  'ConfigureRequest',
  'QuoteRequest',
  'RegisterRequest',
  'LoginRequest',
  'SpecCreate',
  'SpecPatch',
  'OrderRequest',
  'OrderLineInput',
  'ShipTo',
  'Selection',
  'Measurements',
  'ReorderRequest',
]);

/**
 * zod writes `additionalProperties: false` on every object of an output schema (parsing would strip
 * unknown keys), but our answers are not parsed through these schemas and CONTRACT.md allows extra
 * fields: an integrator's validator or client generator reading `false` rejects a real answer
 * carrying a field added later. Answers therefore say nothing about extra properties.
 */
function allowExtraFields(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) allowExtraFields(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (obj.additionalProperties === false) delete obj.additionalProperties;
  for (const value of Object.values(obj)) allowExtraFields(value);
}

function componentSchemas(): Record<string, unknown> {
  const gen = (io: 'input' | 'output') =>
    z.toJSONSchema(z.globalRegistry, {
      uri: (id) => `#/components/schemas/${id}`,
      io,
      unrepresentable: 'any',
    }).schemas;
  const input = gen('input');
  const output = gen('output');
  const out: Record<string, unknown> = {};
  for (const id of Object.keys(output)) {
    const {
      $schema: _s,
      $id: _i,
      ...schema
    } = (REQUEST_IDS.has(id) ? input[id] : output[id]) as Record<string, unknown>;
    if (!REQUEST_IDS.has(id)) allowExtraFields(schema);
    out[id] = schema;
  }
  return out;
}

let cached: object | undefined;

export function openApiDocument(): object {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of ALL_OPERATIONS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const headers = (op.headers ?? []).map((h) => ({
      name: h.name,
      in: 'header',
      required: h.required,
      description: h.description,
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }));
    const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      operationId: `${op.method}${op.path.replace(/[{}]/g, '').replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      ...(params.length + headers.length ? { parameters: [...params, ...headers] } : {}),
      ...(op.auth === 'session'
        ? { security: [{ session: [] }] }
        : op.auth === 'admin'
          ? { security: [{ adminToken: [] }] }
          : {}),
      ...(op.request
        ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.request) } } } }
        : {}),
      responses: Object.fromEntries(
        Object.entries(responsesOf(op)).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(status === '503' || status === '429' ? { headers: RETRY_AFTER } : {}),
            ...(r.schema
              ? {
                  content: {
                    [r.schema === 'Problem' ? 'application/problem+json' : 'application/json']: {
                      schema: r.array ? { type: 'array', items: ref(r.schema) } : ref(r.schema),
                    },
                  },
                }
              : {}),
          },
        ]),
      ),
    };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Tailorloop API',
      version: '1.0.0',
      description:
        'Made-to-measure shop: catalog and configurator, customers and remembered specs, idempotent orders, partner webhooks. Money is integer minor units with an ISO 4217 currency. Every error is RFC 9457 `application/problem+json`; `type` is one of the URIs listed under `x-problem-types`, and `code` is its last segment. Bad JSON is 400, valid JSON that is not a valid request is 422 with `errors: [{ path, code, message }]`. A path listed here asked with a method it does not list is 405 `method_not_allowed` with an `Allow` header (`OPTIONS` answers 204 with the same header); an unknown path is 404. Any route can answer 503 `unavailable` with `Retry-After` when storage is full or failing or the server is shutting down: nothing was done, so the same request (for an order, with the same `Idempotency-Key`) can be sent again.',
    },
    servers: [{ url: '/' }],
    tags: [
      'Operations',
      'Catalog',
      'Customers',
      'Specs',
      'Orders',
      'Partners',
      'Learning loop',
      'Operations console',
    ].map((name) => ({ name })),
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: '__Host-tl_session',
          description: '`tl_session` on plain http outside production',
        },
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
      },
    },
    'x-problem-types': Object.entries(PROBLEMS).map(([code, p]) => ({
      type: PROBLEM_BASE + code,
      status: p.status,
      title: p.title,
    })),
  };
  return cached;
}
