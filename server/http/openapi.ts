import { z } from 'zod';
import { PROBLEM_BASE, PROBLEMS } from '../errors';
import { ONE_TO_ONE_OPERATIONS } from './routes/one-to-one-openapi';
import './schemas';

// The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with
// (server/http/schemas.ts registers each under its id). Operations are listed here as data.

interface Operation {
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
    responses: { 200: { description: 'Healthy' }, 503: problem('Database unreachable') },
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
      'Which options remain available (with reasons when not), how many valid completions remain (`count`: a JSON number up to 2^53-1, else a decimal string), and the price and spec code once complete. Conflicting choices are `200` with `valid: false`; options the product does not have are `422`.',
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
      ...R422,
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
      201: { description: 'Spec', schema: 'Spec' },
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
    auth: 'session',
    request: 'SpecPatch',
    responses: {
      200: { description: 'Spec', schema: 'Spec' },
      ...R400,
      ...R401,
      404: problem('Unknown, or another customer’s'),
      ...R422,
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
    responses: { 200: { description: 'Versions' }, ...R401, 404: problem('Unknown, or another customer’s') },
  },
  {
    method: 'post',
    path: '/api/specs/{specId}/reorder',
    tag: 'Orders',
    summary: 'Order draft from a spec, re-checked against today’s catalog',
    auth: 'session',
    responses: {
      200: { description: 'Draft; POST its `orderRequest` to /api/orders' },
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
      'Every line is validated, priced and routed by the server (client prices are ignored). Idempotent per customer: the same `Idempotency-Key` and body replays the stored response (header `Idempotent-Replayed: true`) for at least 24 h; the same key with another body is 422; while the first is still being processed, 409. A request rejected with 4xx stores nothing.',
    headers: [
      { name: 'Idempotency-Key', required: true, description: '1-255 characters, unique per order attempt' },
    ],
    responses: {
      201: { description: 'Order', schema: 'Order' },
      400: problem('Malformed JSON or missing Idempotency-Key'),
      ...R401,
      404: problem('A line names an unknown or foreign spec'),
      409: problem('Same key still in flight'),
      413: problem('Body too large'),
      422: problem('Invalid lines (each named), or key reused with another body'),
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
      200: { description: 'Draft; POST its `orderRequest` to /api/orders' },
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
    responses: { 200: { description: 'Partners' }, 401: problem('Missing or wrong admin token') },
  },
  {
    method: 'patch',
    path: '/api/admin/partners/{partnerId}',
    tag: 'Partners',
    summary: 'Set a partner’s webhook URL or enable/disable it',
    auth: 'admin',
    responses: {
      200: { description: 'Partner' },
      401: problem('Missing or wrong admin token'),
      404: problem('Unknown partner'),
      422: problem('URL not http(s) or private'),
    },
  },
  {
    method: 'post',
    path: '/api/admin/partners/{partnerId}/rotate-secret',
    tag: 'Partners',
    summary: 'Rotate the signing secret (shown once)',
    auth: 'admin',
    responses: { 200: { description: '`{ secret }`' }, 401: problem('Missing or wrong admin token') },
  },
  {
    method: 'get',
    path: '/api/admin/deliveries',
    tag: 'Partners',
    summary: 'Webhook deliveries (`?status=pending|delivered|failed`)',
    auth: 'admin',
    responses: { 200: { description: 'Deliveries' }, 401: problem('Missing or wrong admin token') },
  },
  {
    method: 'post',
    path: '/api/admin/deliveries/{deliveryId}/redeliver',
    tag: 'Partners',
    summary: 'Send a delivery again',
    auth: 'admin',
    responses: { 202: { description: 'Queued' }, 401: problem('Missing or wrong admin token') },
  },
  {
    method: 'post',
    path: '/api/partners/{partnerId}/events',
    tag: 'Partners',
    summary: 'Inbound partner status events (Standard Webhooks signature)',
    auth: 'signature',
    responses: {
      200: { description: 'Accepted (also for a repeated webhook-id)' },
      401: problem('Unsigned, badly signed or stale'),
    },
  },
];

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
    out[id] = schema;
  }
  return out;
}

let cached: object | undefined;

export function openApiDocument(): object {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of [...OPERATIONS, ...ONE_TO_ONE_OPERATIONS] as Operation[]) {
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
        Object.entries(op.responses).map(([status, r]) => [
          status,
          {
            description: r.description,
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
        'Made-to-measure shop: catalog and configurator, customers and remembered specs, idempotent orders, partner webhooks. Money is integer minor units with an ISO 4217 currency. Every error is RFC 9457 `application/problem+json`; `type` is one of the URIs listed under `x-problem-types`.',
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
