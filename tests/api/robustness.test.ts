import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, expectProblem, JEANS, type Json, SHIP_TO, signUp } from './setup';

const t = createTestApp();
afterAll(() => t.close());

const rows = (table: string) =>
  (t.deps.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('bad input is a clear 4xx problem, never a 500, never a partial write', () => {
  it('malformed JSON is 400, wrong types 422 with paths', async () => {
    const { cookie } = await signUp(t);
    for (const raw of ['{', 'not json', '{"lines": [}', ''])
      expectProblem(
        await t.call('POST', '/api/orders', { cookie, raw, headers: { 'idempotency-key': 'k-bad' } }),
        400,
      );
    const p = expectProblem(
      await t.call('POST', '/api/orders', {
        cookie,
        body: { lines: 'two', shipTo: { ...SHIP_TO, postalCode: 12345 } },
        headers: { 'idempotency-key': 'k-types' },
      }),
      422,
    );
    expect(p.errors?.map((e) => e.path).sort()).toEqual(['lines', 'shipTo.postalCode']);
    expectProblem(await t.call('POST', '/api/quote', { body: [1, 2, 3] }), 422);
    expectProblem(await t.call('POST', '/api/quote', { body: null }), 422);
  });

  it('a 10 MB body is 413, with or without Content-Length', async () => {
    const { cookie } = await signUp(t);
    const big = JSON.stringify({ lines: [], shipTo: SHIP_TO, pad: 'x'.repeat(10 * 1024 * 1024) });
    const withLength = await t.call('POST', '/api/orders', {
      cookie,
      raw: big,
      headers: { 'idempotency-key': 'k-big' },
    });
    expectProblem(withLength, 413);
    const stream = new ReadableStream({
      start(controller) {
        const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
        for (let i = 0; i < 10; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await t.app.request('/api/quote', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('a 10,000-line order is a clear 4xx and writes nothing', async () => {
    const { cookie } = await signUp(t);
    const before = rows('order_lines');
    const spec = (
      await t.call('POST', '/api/specs', {
        cookie,
        body: { name: 'S', productId: 'jeans', selection: JEANS },
      })
    ).body;
    const lines = Array.from({ length: 10_000 }, () => ({ specId: spec.id, quantity: 1 }));
    const res = await t.call('POST', '/api/orders', {
      cookie,
      body: { lines, shipTo: SHIP_TO },
      headers: { 'idempotency-key': 'k-10k' },
    });
    const p = expectProblem(res, 422);
    expect(p.errors?.[0]).toMatchObject({ path: 'lines', code: 'too_big' });
    const full = Array.from({ length: 10_000 }, () => ({
      productId: 'jeans',
      selection: JEANS,
      quantity: 1,
    }));
    const res2 = await t.call('POST', '/api/orders', {
      cookie,
      body: { lines: full, shipTo: SHIP_TO },
      headers: { 'idempotency-key': 'k-10k-2' },
    });
    expect([413, 422]).toContain(res2.status);
    expect(rows('order_lines')).toBe(before);
  });

  it('a deeply nested order body is a 422, not a 500', async () => {
    const { cookie } = await signUp(t);
    const before = rows('orders');
    const depth = 20_000;
    const raw = `{"lines":[{"productId":"jeans","quantity":1,"selection":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}],"shipTo":${JSON.stringify(SHIP_TO)}}`;
    const res = await t.call('POST', '/api/orders', {
      cookie,
      raw,
      headers: { 'idempotency-key': 'k-deep' },
    });
    expectProblem(res, 422);
    expect(rows('orders')).toBe(before);
  });

  it('negative, fractional, huge and string quantities are 422', async () => {
    const { cookie } = await signUp(t);
    for (const quantity of [-1, 0, 0.5, 101, Number.MAX_SAFE_INTEGER, 1e308, '1', null]) {
      const res = await t.call('POST', '/api/orders', {
        cookie,
        body: { lines: [{ productId: 'jeans', selection: JEANS, quantity }], shipTo: SHIP_TO },
        headers: { 'idempotency-key': `k-q-${quantity}` },
      });
      const p = expectProblem(res, 422);
      expect(p.errors?.some((e) => e.path.startsWith('lines.0'))).toBe(true);
    }
  });

  it('a quantity too large is told so once, never "a whole number" (1e20 is one)', async () => {
    const { cookie } = await signUp(t);
    const errorsFor = async (quantity: unknown) =>
      expectProblem(
        await t.call('POST', '/api/orders', {
          cookie,
          body: { lines: [{ productId: 'jeans', selection: JEANS, quantity }], shipTo: SHIP_TO },
          headers: { 'idempotency-key': `k-qm-${quantity}` },
        }),
        422,
      ).errors?.map(({ path, message }) => ({ path, message }));
    for (const quantity of [1e20, 1e308, Number.MAX_SAFE_INTEGER + 2])
      expect(await errorsFor(quantity)).toEqual([
        { path: 'lines.0.quantity', message: 'at most 100 of one line' },
      ]);
    expect(await errorsFor(1.5)).toEqual([{ path: 'lines.0.quantity', message: 'a whole number' }]);
    expect(await errorsFor(0)).toEqual([{ path: 'lines.0.quantity', message: 'at least 1' }]);
  });

  it('unicode names, addresses and keys round-trip', async () => {
    const { cookie } = await signUp(t, { name: '山田 太郎 👖' });
    expect((await t.call('GET', '/api/me', { cookie })).body.name).toBe('山田 太郎 👖');
    const shipTo = { ...SHIP_TO, name: 'Zoë Ångström 🧵', line1: 'Straße 1', city: 'Zürich', country: 'CH' };
    const res = await t.call('POST', '/api/orders', {
      cookie,
      body: { lines: [{ productId: 'jeans', selection: JEANS, quantity: 1 }], shipTo },
      headers: { 'idempotency-key': 'cl\u00e9-\u00ff' },
    });
    // Header values are ByteStrings in fetch: Latin-1 keys work as opaque strings.
    expect(res.status).toBe(201);
    expect(res.body.shipTo).toMatchObject({ name: 'Zoë Ångström 🧵', city: 'Zürich' });
  });

  it('a body that is not UTF-8 is 400 and writes nothing, where it was stored with U+FFFD in place', async () => {
    // An integrator's client that sends Latin-1 ("Zoë" as the byte 0xE9) got 201 and a shipping
    // label reading "Zo\uFFFD": JSON is UTF-8 (RFC 8259), so this is bad JSON, a 400.
    const { cookie } = await signUp(t);
    const send = (path: string, json: unknown, headers: Record<string, string> = {}) =>
      t.app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body: new Uint8Array(Buffer.from(JSON.stringify(json), 'latin1')),
      });
    const before = { orders: rows('orders'), specs: rows('specs'), customers: rows('customers') };
    const cases: Array<[string, unknown, Record<string, string>?]> = [
      [
        '/api/orders',
        {
          lines: [{ productId: 'jeans', selection: JEANS, quantity: 1 }],
          shipTo: { ...SHIP_TO, name: 'Zoë' },
        },
        { 'idempotency-key': 'k-latin1' },
      ],
      ['/api/specs', { name: 'Zoë’s jeans', productId: 'jeans', selection: JEANS }],
      [
        '/api/auth/register',
        { email: 'zoe-latin1@example.com', password: 'correct horse battery', name: 'Zoë' },
      ],
      ['/api/quote', { productId: 'jeans', selection: { ...JEANS, monogram: 'Zoë' } }],
    ];
    for (const [path, json, headers] of cases) {
      const res = await send(path, json, headers);
      const p = expectProblem({ status: res.status, headers: res.headers, body: await res.json() }, 400);
      expect(p.code, path).toBe('malformed_json');
      expect((p as Json).detail).toMatch(/UTF-8/);
    }
    expect({ orders: rows('orders'), specs: rows('specs'), customers: rows('customers') }).toEqual(before);
    // A UTF-8 byte-order mark in front of the JSON is still fine.
    const bom = await t.app.request('/api/quote', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `\uFEFF${JSON.stringify({ productId: 'jeans', selection: JEANS })}`,
    });
    expect(bom.status).toBe(200);
  });

  it('a lone surrogate escape in a name or address line is 422 naming the field, never sent on to the 3PL', async () => {
    const { cookie } = await signUp(t);
    const before = rows('orders');
    const raw = JSON.stringify({
      lines: [{ productId: 'jeans', selection: JEANS, quantity: 1 }],
      shipTo: { ...SHIP_TO, name: 'NAME', line2: 'LINE2' },
    })
      .replace('NAME', 'Ada \\ud800')
      .replace('LINE2', '\\udc00 floor');
    const p = expectProblem(
      await t.call('POST', '/api/orders', { cookie, raw, headers: { 'idempotency-key': 'k-surrogate' } }),
      422,
    );
    expect(p.errors?.map((e) => e.path).sort()).toEqual(['shipTo.line2', 'shipTo.name']);
    expect(rows('orders')).toBe(before);
    const spec = expectProblem(
      await t.call('POST', '/api/specs', {
        cookie,
        raw: JSON.stringify({ name: 'X', productId: 'jeans', selection: JEANS }).replace('"X"', '"x\\ud83d"'),
      }),
      422,
    );
    expect(spec.errors?.map((e) => e.path)).toEqual(['name']);
    // A real astral character (a surrogate pair) is of course fine.
    const ok = await t.call('POST', '/api/specs', {
      cookie,
      raw: JSON.stringify({ name: 'X', productId: 'jeans', selection: JEANS }).replace(
        '"X"',
        '"jeans \\ud83d\\udc56"',
      ),
    });
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe('jeans 👖');
  });

  it('random JSON bodies never produce a 500', async () => {
    const { cookie } = await signUp(t);
    const routes: Array<[string, string]> = [
      ['POST', '/api/configure'],
      ['POST', '/api/quote'],
      ['POST', '/api/specs'],
      ['POST', '/api/orders'],
      ['POST', '/api/auth/login'],
    ];
    const ordersBefore = rows('orders');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            productId: fc.oneof(fc.constant('jeans'), fc.string()),
            selection: fc.dictionary(fc.string(), fc.jsonValue()),
          }),
          fc.record({
            lines: fc.array(
              fc.record({
                productId: fc.constant('jeans'),
                selection: fc.constant(JEANS as Json),
                quantity: fc.jsonValue(),
              }),
            ),
            shipTo: fc.jsonValue(),
          }),
        ),
        async ([method, path], body) => {
          const res = await t.call(method, path, {
            cookie,
            body,
            headers: { 'idempotency-key': `fuzz-${Math.random()}` },
          });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/problem\+json/);
        },
      ),
      { numRuns: 150 },
    );
    expect(rows('orders')).toBeGreaterThanOrEqual(ordersBefore);
  });

  it('unknown paths are 404 problems', async () => {
    const p = expectProblem(await t.call('GET', '/api/nothing-here'), 404);
    expect(p.type).toMatch(/^https:\/\//);
  });

  it('a method a known path does not take is a 405 problem with Allow; OPTIONS lists them', async () => {
    for (const [method, path, allow] of [
      ['DELETE', '/api/products', 'GET, HEAD'],
      ['PUT', '/api/products/jeans', 'GET, HEAD'],
      ['GET', '/api/configure', 'POST'],
      ['PUT', '/api/specs/spec_whatever', 'GET, HEAD, PATCH, DELETE'],
      ['GET', '/api/orders/ord_x/cancel', 'POST'],
      ['DELETE', '/api/admin/partners/workshop', 'GET, HEAD, PATCH'],
    ] as const) {
      const res = await t.call(method, path, {
        headers: { authorization: `Bearer ${t.deps.env.ADMIN_TOKEN}` },
      });
      const p = expectProblem(res, 405);
      expect(p.code, `${method} ${path}`).toBe('method_not_allowed');
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(`${allow}, OPTIONS`);
    }
    const options = await t.call('OPTIONS', '/api/orders');
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    // Paths nobody serves stay 404, whatever the method.
    expectProblem(await t.call('OPTIONS', '/api/nothing-here'), 404);
    expectProblem(await t.call('DELETE', '/api/nothing-here'), 404);
  });
});

describe('operator and integrator endpoints', () => {
  it('/healthz reports the database reachable', async () => {
    const res = await t.call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('/api/openapi.json is OpenAPI 3.1 covering every CONTRACT route, with schemas from zod', async () => {
    const res = await t.call('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = res.body.paths;
    for (const [method, path] of [
      ['get', '/api/products'],
      ['get', '/api/products/{productId}'],
      ['post', '/api/configure'],
      ['post', '/api/quote'],
      ['post', '/api/auth/register'],
      ['post', '/api/auth/login'],
      ['post', '/api/auth/logout'],
      ['get', '/api/me'],
      ['get', '/api/specs'],
      ['post', '/api/specs'],
      ['get', '/api/specs/{specId}'],
      ['patch', '/api/specs/{specId}'],
      ['delete', '/api/specs/{specId}'],
      ['post', '/api/orders'],
      ['get', '/api/orders'],
      ['get', '/api/orders/{orderId}'],
      ['post', '/api/orders/{orderId}/cancel'],
    ])
      expect(paths[path!]?.[method!], `${method} ${path}`).toBeDefined();
    const orderReq = res.body.components.schemas.OrderRequest;
    expect(orderReq.properties.lines.maxItems).toBe(100);
    expect(res.body.components.schemas.Problem.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status']),
    );
  });

  it('serves a readable HTML reference page', async () => {
    const res = await t.app.request('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('Idempotency-Key');
    expect(html).toContain('/api/orders/{orderId}/cancel');
  });
});
