import { validate } from '@readme/openapi-parser';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { PROBLEM_BASE, PROBLEMS } from '../../server/errors';
import { seedDemo } from '../../server/seed/demo';
import { createTestApp, editedCatalog, JEANS, type Json, retireOption, SHIP_TO, signUp } from './setup';

// The OpenAPI document is what integrators build against: it must list exactly the routes the
// app serves, the status codes CONTRACT.md fixes, and the behaviours a client has to handle.

const t = createTestApp();
afterAll(() => t.close());

const doc = async (): Promise<Json> => (await t.call('GET', '/api/openapi.json')).body;

/** Saves the plain jeans as a spec (fields of `body` replace the defaults). */
const saveSpec = (cookie: string, body: Json = {}) =>
  t.call('POST', '/api/specs', {
    cookie,
    body: { name: 'Mine', productId: 'jeans', selection: JEANS, ...body },
  });

/** `GET /api/specs/:specId` as the document writes it: `get /api/specs/{specId}`. */
const served = () =>
  new Set(
    t.app.routes
      .filter((r) => r.method !== 'ALL' && !r.path.includes('*') && r.path !== '/api/reference')
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
  );

const documented = (d: Json) =>
  new Set(
    Object.entries(d.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m} ${path}`)),
  );

describe('/api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document by an independent validator, every $ref resolving', async () => {
    // What an integrator's tooling (a client generator, a linter, Swagger UI) first does with it.
    const d = await doc();
    expect(d.openapi).toMatch(/^3\.1\./);
    const result = await validate(structuredClone(d));
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('documents every route the app serves, and nothing it does not', async () => {
    const d = await doc();
    expect([...served()].filter((r) => !documented(d).has(r)).sort()).toEqual([]);
    expect([...documented(d)].filter((r) => !served().has(r)).sort()).toEqual([]);
  });

  it('lists the status codes CONTRACT.md fixes', async () => {
    const d = await doc();
    const contract: Array<[string, string, number[]]> = [
      ['get', '/api/products', [200]],
      ['get', '/api/products/{productId}', [200, 404]],
      ['post', '/api/configure', [200, 400, 422]],
      ['post', '/api/quote', [200, 400, 422]],
      ['post', '/api/auth/register', [201, 400, 422]],
      ['post', '/api/auth/login', [200, 401, 429]],
      ['post', '/api/auth/logout', [204]],
      ['get', '/api/me', [200, 401]],
      ['get', '/api/specs', [200, 401]],
      ['post', '/api/specs', [201, 401, 422]],
      ['get', '/api/specs/{specId}', [200, 401, 404]],
      ['patch', '/api/specs/{specId}', [200, 401, 404, 422]],
      ['delete', '/api/specs/{specId}', [204, 401, 404]],
      ['post', '/api/orders', [201, 400, 401, 409, 413, 422]],
      ['get', '/api/orders', [200, 401]],
      ['get', '/api/orders/{orderId}', [200, 401, 404]],
      ['post', '/api/orders/{orderId}/cancel', [200, 401, 404, 409]],
      ['get', '/api/admin/partners', [200, 401]],
      ['patch', '/api/admin/partners/{partnerId}', [200, 401, 422]],
      ['post', '/api/admin/partners/{partnerId}/rotate-secret', [200, 401]],
      ['get', '/api/admin/deliveries', [200, 401]],
      ['post', '/api/admin/deliveries/{deliveryId}/redeliver', [202, 401]],
      ['post', '/api/partners/{partnerId}/events', [200, 401]],
    ];
    for (const [method, path, statuses] of contract) {
      const responses = d.paths[path]?.[method]?.responses ?? {};
      for (const s of statuses) expect(responses[s], `${method} ${path} ${s}`).toBeDefined();
    }
  });

  it('every error response is a problem document; 503 (storage, shutdown) with Retry-After on every route', async () => {
    const d = await doc();
    for (const [path, ops] of Object.entries<Json>(d.paths))
      for (const [method, op] of Object.entries<Json>(ops)) {
        for (const [status, r] of Object.entries<Json>(op.responses))
          if (Number(status) >= 400)
            expect(Object.keys(r.content ?? {}), `${method} ${path} ${status}`).toEqual([
              'application/problem+json',
            ]);
        expect(op.responses['503']?.headers?.['Retry-After'], `${method} ${path}`).toBeDefined();
      }
    const types = d['x-problem-types'].map((p: Json) => [p.type, p.status]);
    for (const [code, p] of Object.entries(PROBLEMS))
      expect(types).toContainEqual([PROBLEM_BASE + code, p.status]);
  });

  it('says what a method a path does not take gets (405 with Allow, OPTIONS 204), and answers it so', async () => {
    const d = await doc();
    expect(d.info.description).toMatch(/405/);
    expect(d.info.description).toMatch(/Allow/);
    for (const [path, ops] of Object.entries<Json>(d.paths)) {
      const concrete = path.replace(/\{\w+\}/g, 'x');
      const methods = Object.keys(ops).map((m) => m.toUpperCase());
      // Operator routes check the bearer token before anything else.
      const headers = { authorization: 'Bearer test-admin-token-0123456789' };
      const res = await t.app.request(concrete, { method: 'OPTIONS', headers });
      expect(res.status, path).toBe(204);
      const allow = (res.headers.get('allow') ?? '').split(', ');
      expect(allow.filter((m) => m !== 'HEAD' && m !== 'OPTIONS').sort(), path).toEqual(methods.sort());
      const put = await t.app.request(concrete, { method: 'PUT', headers });
      if (!methods.includes('PUT')) expect(put.status, path).toBe(405);
    }
  });

  it('describes the order, ship-to and spec rules a client must follow', async () => {
    const d = await doc();
    const s = d.components.schemas;
    expect(s.ShipTo.required).toEqual(['name', 'line1', 'city', 'postalCode', 'country']);
    expect(s.ShipTo.properties.country.description).toMatch(/assigned ISO 3166-1 alpha-2/);
    expect(s.ShipTo.properties.line2.description).toMatch(/left out/);
    expect(s.ShipTo.properties.region.description).toMatch(/left out/);
    expect(s.OrderLineInput.anyOf).toHaveLength(2);
    expect(s.OrderLineInput.description).toContain('ambiguous_line');
    expect(s.OrderRequest.properties.lines.maxItems).toBe(100);
    expect(s.SpecPatch.properties.productId.description).toContain('immutable');
    const placeOrder = d.paths['/api/orders'].post;
    expect(placeOrder.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', required: true }),
    );
    expect(placeOrder.description).toContain('too_deep');
    expect(placeOrder.description).toContain('ambiguous_line');
    expect(d.paths['/api/specs/{specId}'].patch.responses['422'].description).toContain('immutable');
    expect(d.paths['/api/configure'].post.description).toMatch(
      /`count: 0` and every option `available: false`/,
    );
  });
});

/** Paths in `data` whose key the schema does not name (through `$ref`, `anyOf` and `items`). */
function undocumentedKeys(data: unknown, schema: Json, components: Json, at = ''): string[] {
  if (schema?.$ref) return undocumentedKeys(data, components[schema.$ref.split('/').pop()], components, at);
  if (schema?.anyOf) {
    const branches = schema.anyOf.map((b: Json) => undocumentedKeys(data, b, components, at));
    return branches.reduce((best: string[], b: string[]) => (b.length < best.length ? b : best));
  }
  if (Array.isArray(data))
    return data.flatMap((item, i) => undocumentedKeys(item, schema?.items, components, `${at}[${i}]`));
  if (data === null || typeof data !== 'object' || !schema?.properties) return [];
  return Object.entries(data).flatMap(([k, v]) =>
    k in schema.properties
      ? undocumentedKeys(v, schema.properties[k], components, `${at}.${k}`)
      : [`${at}.${k}`],
  );
}

describe('response schemas', () => {
  it('do not forbid extra fields (CONTRACT.md allows them), and name every field an order and a quote carry', async () => {
    // An integrator validating answers against the document (or generating a client from it) met
    // `additionalProperties: false` on every answer, while a placed order carried updatedAt,
    // threePlRouting, each line's measurements, price and routing, and each event's source.
    const d = await doc();
    const s = d.components.schemas;
    const forbidding = Object.entries<Json>(s)
      .filter(([, schema]) => JSON.stringify(schema).includes('"additionalProperties":false'))
      .map(([id]) => id);
    expect(forbidding).toEqual([]);

    const { cookie } = await signUp(t);
    const quote = await t.call('POST', '/api/quote', { body: { productId: 'jeans', selection: JEANS } });
    expect(quote.status).toBe(200);
    expect(undocumentedKeys(quote.body, s.Quote, s)).toEqual([]);
    const spec = await saveSpec(cookie, { measurements: { unit: 'in', values: { waist: 33 } } });
    const order = await t.call('POST', '/api/orders', {
      cookie,
      headers: { 'idempotency-key': 'schema-check' },
      body: { lines: [{ specId: spec.body.id, quantity: 1 }], shipTo: SHIP_TO },
    });
    expect(order.status).toBe(201);
    expect(order.body.lines[0].measurements).toBeDefined();
    expect(undocumentedKeys(order.body, s.Order, s)).toEqual([]);
  });

  it('name every field of the catalog answers, a spec (with its validity and versions) and the reorder drafts', async () => {
    // The product a storefront renders carried description, display, default, generated, each
    // option's code, attrs, price and swatch, and configure its `missing`, none of them described.
    const d = await doc();
    const s = d.components.schemas;
    const { cookie } = await signUp(t);
    const list = await t.call('GET', '/api/products');
    expect(undocumentedKeys(list.body, { type: 'array', items: s.ProductSummary }, s)).toEqual([]);
    for (const id of ['jeans', 'shirt']) {
      const product = await t.call('GET', `/api/products/${id}`);
      expect(undocumentedKeys(product.body, s.Product, s)).toEqual([]);
    }
    const configure = await t.call('POST', '/api/configure', {
      body: { productId: 'jeans', selection: { fit: 'slim' } },
    });
    expect(undocumentedKeys(configure.body, s.ConfigureResponse, s)).toEqual([]);
    const spec = await saveSpec(cookie, { measurements: { unit: 'cm', values: { waist: 84 } } });
    expect(undocumentedKeys(spec.body, s.Spec, s)).toEqual([]);
    const read = await t.call('GET', `/api/specs/${spec.body.id}`, { cookie });
    expect(undocumentedKeys(read.body, s.Spec, s)).toEqual([]);
    // And a spec today's catalog no longer makes: its changes and the nearest alternative.
    const stone = await saveSpec(cookie, { name: 'Stone', selection: { ...JEANS, wash: 'stone' } });
    const order = await t.call('POST', '/api/orders', {
      cookie,
      headers: { 'idempotency-key': 'schema-draft' },
      body: { lines: [{ specId: stone.body.id, quantity: 1 }], shipTo: SHIP_TO },
    });
    expect(order.status).toBe(201);
    await t.call('PATCH', `/api/specs/${spec.body.id}`, { cookie, body: { name: 'Mine, renamed' } });
    const versions = await t.call('GET', `/api/specs/${spec.body.id}/versions`, { cookie });
    expect(versions.body.length).toBeGreaterThan(0);
    expect(
      d.paths['/api/specs/{specId}/versions'].get.responses['200'].content['application/json'].schema,
    ).toEqual({ type: 'array', items: { $ref: '#/components/schemas/SpecVersion' } });
    for (const path of ['/api/specs/{specId}/reorder', '/api/orders/{orderId}/reorder'])
      expect(d.paths[path].post.responses['200'].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/ReorderDraft',
      });
    expect(undocumentedKeys(versions.body, { type: 'array', items: s.SpecVersion }, s)).toEqual([]);
    const before = t.deps.catalog;
    t.deps.catalog = editedCatalog(({ products }) => retireOption(products['jeans.json'], 'wash', 'stone'));
    try {
      const moved = await t.call('GET', `/api/specs/${stone.body.id}`, { cookie });
      expect(moved.body.validity.changes.length).toBeGreaterThan(0);
      expect(moved.body.validity.alternative).toBeDefined();
      expect(undocumentedKeys(moved.body, s.Spec, s)).toEqual([]);
      // The reorder drafts #3 promises (price then and now, replacements), from a spec and an order.
      for (const path of [`/api/specs/${stone.body.id}/reorder`, `/api/orders/${order.body.id}/reorder`]) {
        const draft = await t.call('POST', path, { cookie });
        expect(draft.status).toBe(200);
        expect(draft.body.lines[0].changes.length).toBeGreaterThan(0);
        expect(undocumentedKeys(draft.body, s.ReorderDraft, s)).toEqual([]);
      }
    } finally {
      t.deps.catalog = before;
    }
  });
});

describe('operator answers', () => {
  it('name every field of partners, deliveries (with attempts) and inbound events (CONTRACT "Partners and routing")', async () => {
    // Their 200s had no schema at all: an operator's tooling generated from the document knew
    // nothing of a delivery's status, attempts or attempt log.
    const d = await doc();
    const s = d.components.schemas;
    const answer = (method: string, path: string) =>
      d.paths[path][method].responses['200'].content?.['application/json']?.schema;
    const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
    expect(answer('get', '/api/admin/partners')).toEqual({ type: 'array', items: ref('Partner') });
    expect(answer('patch', '/api/admin/partners/{partnerId}')).toEqual(ref('Partner'));
    expect(answer('get', '/api/admin/deliveries')).toEqual({ type: 'array', items: ref('Delivery') });
    expect(answer('get', '/api/admin/deliveries/{deliveryId}')).toEqual(ref('DeliveryDetail'));
    expect(answer('get', '/api/admin/inbound-events')).toEqual({ type: 'array', items: ref('InboundEvent') });
    const admin = { authorization: `Bearer ${t.deps.env.ADMIN_TOKEN}` };
    const { cookie } = await signUp(t);
    const placed = await t.call('POST', '/api/orders', {
      cookie,
      headers: { 'idempotency-key': 'schema-admin' },
      body: { lines: [{ productId: 'jeans', selection: JEANS, quantity: 1 }], shipTo: SHIP_TO },
    });
    expect(placed.status).toBe(201);
    const partners = await t.call('GET', '/api/admin/partners', { headers: admin });
    expect(undocumentedKeys(partners.body, { type: 'array', items: s.Partner }, s)).toEqual([]);
    const deliveries = await t.call('GET', `/api/admin/deliveries?orderId=${placed.body.id}`, {
      headers: admin,
    });
    expect(deliveries.body.length).toBeGreaterThan(0);
    expect(undocumentedKeys(deliveries.body, { type: 'array', items: s.Delivery }, s)).toEqual([]);
    // One attempt on record, as the dispatcher writes it.
    const first = deliveries.body[0];
    t.deps.sqlite
      .prepare(
        `INSERT INTO delivery_attempts (message_id, partner_id, attempt, url, started_at, duration_ms, status_code, error, response_snippet, outcome)
         VALUES (?, ?, 1, 'https://partner.example/hooks', ?, 41, 503, NULL, 'busy', 'retry')`,
      )
      .run(first.id, first.partnerId, Date.now());
    const one = await t.call('GET', `/api/admin/deliveries/${first.id}`, { headers: admin });
    expect(one.body.attemptLog).toHaveLength(1);
    expect(undocumentedKeys(one.body, s.DeliveryDetail, s)).toEqual([]);
    // A partner posts status back, signed with the secret the operator handed it.
    const supplier = placed.body.lines[0].supplierId;
    const { secret } = (
      await t.call('POST', `/api/admin/partners/${supplier}/rotate-secret`, { headers: admin, body: {} })
    ).body;
    const now = new Date();
    const body = JSON.stringify({
      type: 'production.accepted',
      timestamp: now.toISOString(),
      data: { orderId: placed.body.id },
    });
    const posted = await t.call('POST', `/api/partners/${supplier}/events`, {
      raw: body,
      headers: {
        'webhook-id': 'evt_schema',
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign('evt_schema', now, body),
      },
    });
    expect(posted.status).toBe(200);
    expect(answer('post', '/api/partners/{partnerId}/events')).toEqual(ref('InboundAck'));
    expect(undocumentedKeys(posted.body, s.InboundAck, s)).toEqual([]);
    expect(answer('post', '/api/admin/partners/{partnerId}/rotate-secret')).toEqual(ref('PartnerSecret'));
    expect(answer('get', '/healthz')).toEqual(ref('Health'));
    expect(undocumentedKeys((await t.call('GET', '/healthz')).body, s.Health, s)).toEqual([]);
    const inbound = await t.call('GET', '/api/admin/inbound-events', { headers: admin });
    expect(inbound.body.length).toBeGreaterThan(0);
    expect(undocumentedKeys(inbound.body, { type: 'array', items: s.InboundEvent }, s)).toEqual([]);
  });
});

describe('console insights answers', () => {
  it('name every field of the customer, partner and service overviews, on a seeded history', async () => {
    // The three overview pages' 200s were described in words only.
    const shop = createTestApp();
    try {
      seedDemo(shop.deps.sqlite, shop.deps.catalog, {
        customers: 60,
        orders: 400,
        seed: 3,
        now: Date.now(),
        years: 1,
        passwordHash: 'x',
        remakeLimit: 2,
      });
      const d = (await shop.call('GET', '/api/openapi.json')).body;
      const s = d.components.schemas;
      const admin = { authorization: `Bearer ${shop.deps.env.ADMIN_TOKEN}` };
      for (const [path, id] of [
        ['/api/admin/insights/customers', 'CustomerInsightsOverview'],
        ['/api/admin/insights/partners', 'PartnerInsights'],
        ['/api/admin/insights/service', 'ServiceInsights'],
      ] as const) {
        expect(d.paths[path].get.responses['200'].content['application/json'].schema).toEqual({
          $ref: `#/components/schemas/${id}`,
        });
        const res = await shop.call('GET', path, { headers: admin });
        expect(res.status).toBe(200);
        expect(undocumentedKeys(res.body, s[id], s), path).toEqual([]);
      }
    } finally {
      shop.close();
    }
  });
});

describe('learning loop answers', () => {
  it('name every field of fit feedback, proposals, remakes, complaints, and the operator’s order and customer pages', async () => {
    // Their 200/201s were described only in words: a client generated from the document knew
    // nothing of a proposal's before/after, a remake's order or a complaint's messages.
    const d = await doc();
    const s = d.components.schemas;
    const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
    const list = (id: string) => ({ type: 'array', items: ref(id) });
    const answer = (method: string, path: string, status = 200) =>
      d.paths[path][method].responses[status].content?.['application/json']?.schema;
    const expected: Array<[string, string, number, object]> = [
      ['get', '/api/orders/{orderId}/feedback', 200, ref('FitQuestions')],
      ['post', '/api/orders/{orderId}/lines/{lineId}/feedback', 201, ref('FitFeedback')],
      ['get', '/api/feedback', 200, list('FitFeedback')],
      ['get', '/api/feedback/{feedbackId}', 200, ref('FitFeedback')],
      ['post', '/api/feedback/{feedbackId}/accept', 200, ref('FeedbackAccepted')],
      ['post', '/api/feedback/{feedbackId}/decline', 200, ref('FitFeedback')],
      ['post', '/api/orders/{orderId}/lines/{lineId}/remake', 201, ref('RemakeCreated')],
      ['post', '/api/orders/{orderId}/lines/{lineId}/remake', 200, ref('RemakeCreated')],
      ['get', '/api/orders/{orderId}/remakes', 200, ref('OrderRemakes')],
      ['get', '/api/remake-allowance/{productId}', 200, ref('RemakeAllowance')],
      ['post', '/api/orders/{orderId}/complaints', 201, ref('ComplaintDetail')],
      ['get', '/api/orders/{orderId}/complaints', 200, list('Complaint')],
      ['get', '/api/complaints', 200, list('Complaint')],
      ['get', '/api/complaints/{complaintId}', 200, ref('ComplaintDetail')],
      ['post', '/api/complaints/{complaintId}/messages', 200, ref('ComplaintDetail')],
      ['get', '/api/admin/complaints', 200, list('AdminComplaint')],
      ['get', '/api/admin/complaints/{complaintId}', 200, ref('AdminComplaintDetail')],
      ['post', '/api/admin/complaints/{complaintId}/messages', 200, ref('AdminComplaintDetail')],
      ['post', '/api/admin/complaints/{complaintId}/resolve', 200, ref('AdminComplaintDetail')],
      ['get', '/api/admin/orders', 200, ref('AdminOrderSearch')],
      ['get', '/api/admin/orders/{orderId}', 200, ref('AdminOrderDetail')],
      ['post', '/api/admin/orders/{orderId}/cancel', 200, ref('AdminOrderDetail')],
      ['get', '/api/admin/customers', 200, ref('CustomerInsightList')],
      ['get', '/api/admin/customers/{customerId}', 200, ref('AdminCustomerPage')],
    ];
    for (const [method, path, status, schema] of expected)
      expect(answer(method, path, status), `${method} ${path} ${status}`).toEqual(schema);
    const keys = (body: unknown, id: string, array = false) =>
      undocumentedKeys(body, array ? { type: 'array', items: s[id] } : s[id], s);

    // A delivered order from a saved spec: its questions, feedback with a proposal, accepted.
    const { cookie } = await signUp(t);
    const spec = await saveSpec(cookie, { name: 'Loop' });
    const delivered = async (key: string) => {
      const placed = await t.call('POST', '/api/orders', {
        cookie,
        headers: { 'idempotency-key': key },
        body: { lines: [{ specId: spec.body.id, quantity: 1 }], shipTo: SHIP_TO },
      });
      expect(placed.status).toBe(201);
      t.deps.sqlite.prepare("UPDATE orders SET status = 'delivered' WHERE id = ?").run(placed.body.id);
      t.deps.sqlite
        .prepare("UPDATE order_lines SET status = 'delivered' WHERE order_id = ?")
        .run(placed.body.id);
      return { orderId: placed.body.id as string, lineId: placed.body.lines[0].id as string };
    };
    const a = await delivered('schema-loop-a');
    const fb = await t.call('POST', `/api/orders/${a.orderId}/lines/${a.lineId}/feedback`, {
      cookie,
      body: { answers: { waist: 'too_tight', inseam: 'too_short' }, comment: 'Tight' },
    });
    expect(fb.status).toBe(201);
    expect(fb.body.proposal.changes.length).toBeGreaterThan(0);
    expect(keys(fb.body, 'FitFeedback')).toEqual([]);
    const questions = await t.call('GET', `/api/orders/${a.orderId}/feedback`, { cookie });
    expect(questions.body.lines[0].feedback).not.toBeNull();
    expect(keys(questions.body, 'FitQuestions')).toEqual([]);
    const accepted = await t.call('POST', `/api/feedback/${fb.body.id}/accept`, { cookie });
    expect(accepted.status).toBe(200);
    expect(accepted.body.feedback.resultSpec).toBeDefined();
    expect(keys(accepted.body, 'FeedbackAccepted')).toEqual([]);
    // A second delivered order: feedback declined.
    const b = await delivered('schema-loop-b');
    const loose = await t.call('POST', `/api/orders/${b.orderId}/lines/${b.lineId}/feedback`, {
      cookie,
      body: { answers: { thigh: 'too_loose' } },
    });
    const declined = await t.call('POST', `/api/feedback/${loose.body.id}/decline`, { cookie });
    expect(declined.body.decision).toBe('declined');
    expect(keys(declined.body, 'FitFeedback')).toEqual([]);
    const one = await t.call('GET', `/api/feedback/${fb.body.id}`, { cookie });
    expect(keys(one.body, 'FitFeedback')).toEqual([]);
    const all = await t.call('GET', '/api/feedback', { cookie });
    expect(all.body).toHaveLength(2);
    expect(keys(all.body, 'FitFeedback', true)).toEqual([]);

    // A remake (made to the accepted spec), asked twice, seen from both orders; the allowance.
    const remakePath = `/api/orders/${a.orderId}/lines/${a.lineId}/remake`;
    const remake = await t.call('POST', remakePath, {
      cookie,
      body: { reason: 'fit', detail: 'Still tight' },
    });
    expect(remake.status).toBe(201);
    expect(remake.body.remake.feedbackId).toBe(fb.body.id);
    expect(keys(remake.body, 'RemakeCreated')).toEqual([]);
    const again = await t.call('POST', remakePath, {
      cookie,
      body: { reason: 'fit', detail: 'Still tight' },
    });
    expect(again.status).toBe(200);
    expect(keys(again.body, 'RemakeCreated')).toEqual([]);
    for (const orderId of [a.orderId, remake.body.order.id]) {
      const remakes = await t.call('GET', `/api/orders/${orderId}/remakes`, { cookie });
      expect(remakes.status).toBe(200);
      expect(keys(remakes.body, 'OrderRemakes')).toEqual([]);
    }
    const allowance = await t.call('GET', '/api/remake-allowance/jeans', { cookie });
    expect(allowance.body).toMatchObject({ used: 1 });
    expect(keys(allowance.body, 'RemakeAllowance')).toEqual([]);

    // A complaint: opened, followed up, answered and resolved by an operator, listed by both.
    const admin = { authorization: `Bearer ${t.deps.env.ADMIN_TOKEN}` };
    const opened = await t.call('POST', `/api/orders/${a.orderId}/complaints`, {
      cookie,
      body: { category: 'fit', message: 'The remake is late' },
    });
    expect(opened.status).toBe(201);
    expect(keys(opened.body, 'ComplaintDetail')).toEqual([]);
    const follow = await t.call('POST', `/api/complaints/${opened.body.id}/messages`, {
      cookie,
      body: { message: 'Any news?' },
    });
    expect(keys(follow.body, 'ComplaintDetail')).toEqual([]);
    const reply = await t.call('POST', `/api/admin/complaints/${opened.body.id}/messages`, {
      headers: admin,
      body: { message: 'On its way' },
    });
    expect(reply.status).toBe(200);
    expect(keys(reply.body, 'AdminComplaintDetail')).toEqual([]);
    const resolved = await t.call('POST', `/api/admin/complaints/${opened.body.id}/resolve`, {
      headers: admin,
      body: { resolution: 'Shipped express' },
    });
    expect(resolved.body.resolution).toBe('Shipped express');
    expect(keys(resolved.body, 'AdminComplaintDetail')).toEqual([]);
    const adminOne = await t.call('GET', `/api/admin/complaints/${opened.body.id}`, { headers: admin });
    expect(keys(adminOne.body, 'AdminComplaintDetail')).toEqual([]);
    const adminList = await t.call('GET', '/api/admin/complaints', { headers: admin });
    expect(adminList.body.length).toBeGreaterThan(0);
    expect(keys(adminList.body, 'AdminComplaint', true)).toEqual([]);
    const detail = await t.call('GET', `/api/complaints/${opened.body.id}`, { cookie });
    expect(detail.body.resolvedAt).toBeDefined();
    expect(keys(detail.body, 'ComplaintDetail')).toEqual([]);
    for (const path of ['/api/complaints', `/api/orders/${a.orderId}/complaints`]) {
      const mine = await t.call('GET', path, { cookie });
      expect(mine.body).toHaveLength(1);
      expect(keys(mine.body, 'Complaint', true)).toEqual([]);
    }

    // The operator's view of the same: order search and detail (with a delivery attempt on record,
    // its remake, feedback and complaint), a cancelled order, the customer list and page.
    const me = await t.call('GET', '/api/me', { cookie });
    const found = await t.call('GET', `/api/admin/orders?customerId=${me.body.id}`, { headers: admin });
    expect(found.body.total).toBe(3);
    expect(keys(found.body, 'AdminOrderSearch')).toEqual([]);
    const sent = t.deps.sqlite
      .prepare('SELECT id, partner_id AS partnerId FROM webhook_messages WHERE order_id = ? LIMIT 1')
      .get(a.orderId) as { id: string; partnerId: string };
    t.deps.sqlite
      .prepare(
        `INSERT INTO delivery_attempts (message_id, partner_id, attempt, url, started_at, duration_ms, status_code, error, response_snippet, outcome)
         VALUES (?, ?, 1, 'https://partner.example/hooks', ?, 41, 503, NULL, 'busy', 'retry')`,
      )
      .run(sent.id, sent.partnerId, Date.now());
    const orderPage = await t.call('GET', `/api/admin/orders/${a.orderId}`, { headers: admin });
    expect(orderPage.body.deliveries.find((m: Json) => m.id === sent.id).attemptLog).toHaveLength(1);
    expect(orderPage.body.remakes).toHaveLength(1);
    expect(orderPage.body.feedback).toHaveLength(1);
    expect(orderPage.body.complaints).toHaveLength(1);
    expect(keys(orderPage.body, 'AdminOrderDetail')).toEqual([]);
    const remakePage = await t.call('GET', `/api/admin/orders/${remake.body.order.id}`, { headers: admin });
    expect(remakePage.body.remakeOf).not.toBeNull();
    expect(keys(remakePage.body, 'AdminOrderDetail')).toEqual([]);
    const cancelled = await t.call('POST', `/api/admin/orders/${remake.body.order.id}/cancel`, {
      headers: admin,
    });
    expect(cancelled.status).toBe(200);
    expect(keys(cancelled.body, 'AdminOrderDetail')).toEqual([]);
    const customers = await t.call('GET', `/api/admin/customers?q=${me.body.id}`, { headers: admin });
    expect(customers.body.items).toHaveLength(1);
    expect(keys(customers.body, 'CustomerInsightList')).toEqual([]);
    const customerPage = await t.call('GET', `/api/admin/customers/${me.body.id}`, { headers: admin });
    expect(customerPage.body.specs[0].versions.some((v: Json) => v.causedBy)).toBe(true);
    expect(customerPage.body.orders.items).toHaveLength(3);
    expect(keys(customerPage.body, 'AdminCustomerPage')).toEqual([]);
  });
});

describe('/api/docs', () => {
  it('shows every operation of the OpenAPI document, with its status codes', async () => {
    const d = await doc();
    const html = await (await t.app.request('/api/docs')).text();
    for (const [path, ops] of Object.entries<Json>(d.paths))
      for (const [method, op] of Object.entries<Json>(ops)) {
        const start = html.indexOf(`<article id="${method}${path}">`);
        expect(start, `${method} ${path}`).toBeGreaterThan(-1);
        const article = html.slice(start, html.indexOf('</article>', start));
        for (const status of Object.keys(op.responses))
          expect(article, `${method} ${path} ${status}`).toContain(`<b>${status}</b>`);
      }
    expect(html).toContain('Retry-After');
    expect(html).toContain('405');
  });
});
