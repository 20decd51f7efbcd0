import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  editedCatalog,
  expectProblem,
  JEANS,
  type Json,
  SHIP_TO,
  signUp,
  type TestApp,
} from './setup';

// What a headless storefront written from CONTRACT.md alone relies on, found by driving the real
// server the way such a client does (audit of 2026-12-01).

let t: TestApp;
beforeAll(() => {
  t = createTestApp();
});
afterAll(() => t.close());

const moduleIds = () => new Set<string>(t.deps.catalog.products.get('jeans')!.modules.map((m) => m.id));
const message = (ruleId: string) =>
  t.deps.catalog.products.get('jeans')!.rules.find((r) => r.id === ruleId)!.message;

describe('choices that are each fine but cannot be combined', () => {
  // A skinny fit needs stretch; selvedge has none. No rule is broken by the two choices alone.
  const conflict = { fit: 'skinny', fabric: 'selvedge-14' };

  it('configure names the modules at fault, never a path that is not a module', async () => {
    const res = await t.call('POST', '/api/configure', { body: { productId: 'jeans', selection: conflict } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: false, count: 0 });
    const paths = res.body.errors.map((e: Json) => e.path);
    for (const p of paths) expect(moduleIds().has(p), `errors[].path ${p} is a module`).toBe(true);
    expect(paths).toEqual(expect.arrayContaining(['fit', 'fabric']));
    const messages = res.body.errors.map((e: Json) => e.message);
    expect(messages).toContain(message('skinny-needs-stretch'));
    expect(messages).toContain(message('selvedge-is-rigid'));
  });

  it('quote 422 names each module at fault', async () => {
    const { stretch: _s, ...noStretch } = JEANS;
    const p = expectProblem(
      await t.call('POST', '/api/quote', {
        body: { productId: 'jeans', selection: { ...noStretch, ...conflict } },
      }),
      422,
    );
    const paths = p.errors!.map((e: Json) => e.path);
    for (const path of paths) expect(moduleIds().has(path), `errors[].path ${path} is a module`).toBe(true);
    expect(paths).toEqual(expect.arrayContaining(['stretch', 'fit', 'fabric']));
  });

  it('an option blocked by the conflict is explained by the conflict, not by a rule it does not break', async () => {
    const res = await t.call('POST', '/api/configure', { body: { productId: 'jeans', selection: conflict } });
    const size = res.body.modules.find((m: Json) => m.id === 'size');
    const w26 = size.options.find((o: Json) => o.id === 'w26-h28');
    expect(w26.available).toBe(false);
    // "Skinny is not cut for waists of 46″ and up" says nothing about a 26″ waist.
    expect(w26.reasons).not.toContain(message('no-skinny-extended'));
    expect(w26.reasons).toEqual(
      expect.arrayContaining([message('skinny-needs-stretch'), message('selvedge-is-rigid')]),
    );
    expect(w26.change).toEqual(expect.arrayContaining(['fit', 'fabric']));
    // A waist the skinny block really excludes still says so.
    const w50 = size.options.find((o: Json) => o.id.startsWith('w50-'));
    expect(w50.reasons).toContain(message('no-skinny-extended'));
  });
});

describe('Content-Type of JSON bodies', () => {
  const quote = JSON.stringify({ productId: 'jeans', selection: JEANS });
  const send = (contentType: string | undefined, path = '/api/quote', body: string | undefined = quote) =>
    t.app.request(path, {
      method: 'POST',
      headers: contentType === undefined ? {} : { 'content-type': contentType },
      ...(body === undefined ? {} : { body }),
    });

  it('takes JSON however a client labels it: application/json, +json, none, or a browser fetch string (text/plain)', async () => {
    for (const ct of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/merge-patch+json',
      'text/plain;charset=UTF-8',
      undefined,
    ])
      expect((await send(ct)).status, String(ct)).toBe(200);
  });

  it('refuses form encodings (what a cross-site <form> sends) with a 415 problem, before anything is done', async () => {
    for (const ct of [
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=----x',
      'MULTIPART/FORM-DATA; boundary=x',
    ]) {
      const res = await send(ct);
      expect(res.status, ct).toBe(415);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const p = (await res.json()) as Json;
      expect(p).toMatchObject({ status: 415, code: 'unsupported_media_type' });
      expect(res.headers.get('accept-post')).toContain('application/json');
    }
    // A signed-in customer's session is not touched by a form post to logout.
    const { cookie } = await signUp(t);
    const out = await t.call('POST', '/api/auth/logout', {
      cookie,
      raw: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(out, 415);
    expect((await t.call('GET', '/api/me', { cookie })).status).toBe(200);
    // Nothing ordered either.
    const order = await t.call('POST', '/api/orders', {
      cookie,
      raw: 'lines=1',
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'idempotency-key': 'form-1' },
    });
    expectProblem(order, 415);
    expect((await t.call('GET', '/api/orders', { cookie })).body).toEqual([]);
    // The operator's API too (no cookie, but still JSON only; PATCH says so in Accept-Patch)...
    const admin = await t.call('PATCH', '/api/admin/partners/workshop', {
      raw: 'enabled=false',
      headers: {
        authorization: 'Bearer test-admin-token-0123456789',
        'content-type': 'application/x-www-form-urlencoded',
      },
    });
    expectProblem(admin, 415);
    expect(admin.headers.get('accept-patch')).toBe('application/json');
    // ...but not partner events, whose bytes are judged by their signature alone.
    const partner = await t.call('POST', '/api/partners/workshop/events', {
      raw: '--x--',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    });
    expectProblem(partner, 401);
  });
});

describe('order lines with a wrong quantity or shape', () => {
  const place = async (cookie: string, lines: Json[], key: string) =>
    t.call('POST', '/api/orders', {
      cookie,
      body: { lines, shipTo: SHIP_TO },
      headers: { 'idempotency-key': key },
    });

  it('name the field at fault (lines.N.quantity), for a product line and a spec line alike', async () => {
    const { cookie } = await signUp(t);
    const spec = await t.call('POST', '/api/specs', {
      cookie,
      body: { name: 'Mine', productId: 'jeans', selection: JEANS },
    });
    for (const quantity of [1.5, '1', null, undefined, 0, -1, 1e9]) {
      for (const line of [{ productId: 'jeans', selection: JEANS }, { specId: spec.body.id }]) {
        const p = expectProblem(
          await place(
            cookie,
            [{ ...line, ...(quantity === undefined ? {} : { quantity }) }],
            `q-${quantity}`,
          ),
          422,
        );
        expect(p.errors, `${JSON.stringify(line).slice(0, 20)} quantity ${quantity}`).toEqual([
          expect.objectContaining({ path: 'lines.0.quantity' }),
        ]);
      }
    }
    const noSelection = expectProblem(
      await place(cookie, [{ productId: 'jeans', quantity: 1 }], 'no-sel'),
      422,
    );
    expect(noSelection.errors).toEqual([expect.objectContaining({ path: 'lines.0.selection' })]);
    const neither = expectProblem(await place(cookie, [{ quantity: 1 }], 'neither'), 422);
    expect(neither.errors).toEqual([
      expect.objectContaining({ path: 'lines.0', message: expect.stringMatching(/specId/) }),
    ]);
    expect((await t.call('GET', '/api/orders', { cookie })).body).toEqual([]);
  });
});

describe('count beyond 2^53', () => {
  it('is a decimal string when large and a number otherwise, in products and configure alike', async () => {
    // 12 modules of 30 options: 30^12 ≈ 5.3e17 configurations, more than a float64 holds exactly.
    const original = t.deps.catalog;
    t.deps.catalog = editedCatalog(({ products }) => {
      products['wide.json'] = {
        id: 'wide',
        name: 'Wide',
        version: '2026.1.0',
        currency: 'USD',
        basePrice: 100,
        codePrefix: 'WD',
        modules: Array.from({ length: 12 }, (_, m) => ({
          id: `m${m}`,
          label: `M${m}`,
          kind: 'choice',
          options: Array.from({ length: 30 }, (_, o) => ({ id: `o${o}`, label: `O${o}`, code: `C${o}` })),
        })),
        rules: [],
      };
    });
    try {
      const list = await t.call('GET', '/api/products');
      expect(list.body.find((p: Json) => p.id === 'wide').configurations).toBe((30n ** 12n).toString());
      const all = await t.call('POST', '/api/configure', { body: { productId: 'wide', selection: {} } });
      expect(all.body.count).toBe((30n ** 12n).toString());
      const some = await t.call('POST', '/api/configure', {
        body: { productId: 'wide', selection: { m0: 'o1', m1: 'o2', m2: 'o3', m3: 'o4' } },
      });
      expect(some.body.count).toBe(30 ** 8);
    } finally {
      t.deps.catalog = original;
    }
  });
});

describe('text a person types', () => {
  const order = (shipTo: Json) => ({
    lines: [{ productId: 'jeans', selection: JEANS, quantity: 1 }],
    shipTo,
  });
  let seq = 0;
  const place = (cookie: string, shipTo: Json) =>
    t.call('POST', '/api/orders', {
      body: order(shipTo),
      cookie,
      headers: { 'idempotency-key': `text-${++seq}` },
    });

  it('ship-to fields with line breaks, tabs or NUL are 422 naming the field (they would break labels and webhooks)', async () => {
    const { cookie } = await signUp(t);
    for (const [field, value] of [
      ['name', 'Ada\nLovelace'],
      ['line1', '12 Analytical Row\u0000'],
      ['line2', 'Flat\t2'],
      ['city', 'Lon\u2028don'],
      ['region', 'Greater\rLondon'],
      ['postalCode', 'N1\u007f9GU'],
    ] as const) {
      const p = expectProblem(await place(cookie, { ...SHIP_TO, [field]: value }), 422);
      expect(p.errors).toContainEqual(expect.objectContaining({ path: `shipTo.${field}` }));
    }
    // Letters from every script, accents and spaces inside are fine.
    expect(
      (await place(cookie, { ...SHIP_TO, name: 'Zoë Ångström-李 أحمد', city: 'São Paulo' })).status,
    ).toBe(201);
  });

  it('the country code is trimmed like every other ship-to field', async () => {
    const { cookie } = await signUp(t);
    const res = await place(cookie, { ...SHIP_TO, country: ' gb ' });
    expect(res.status).toBe(201);
    expect(res.body.shipTo.country).toBe('GB');
  });

  it('a name with a line break is 422 at sign-up and for a spec; a password of only spaces is 422', async () => {
    const bad = expectProblem(
      await t.call('POST', '/api/auth/register', {
        body: { email: 'nl@example.com', password: 'correct horse battery', name: 'Ada\nL' },
      }),
      422,
    );
    expect(bad.errors?.[0]).toMatchObject({ path: 'name' });
    const spaces = expectProblem(
      await t.call('POST', '/api/auth/register', {
        body: { email: 'sp@example.com', password: ' '.repeat(12), name: 'Ada' },
      }),
      422,
    );
    expect(spaces.errors?.[0]).toMatchObject({ path: 'password' });
    const { cookie } = await signUp(t);
    const spec = expectProblem(
      await t.call('POST', '/api/specs', {
        body: { name: 'Work\u0000jeans', productId: 'jeans', selection: JEANS },
        cookie,
      }),
      422,
    );
    expect(spec.errors?.[0]).toMatchObject({ path: 'name' });
  });

  it('measurements larger than any body are 422 naming the value, in each unit', async () => {
    const { cookie } = await signUp(t);
    const save = (unit: string, waist: number) =>
      t.call('POST', '/api/specs', {
        body: {
          name: 'Mine',
          productId: 'jeans',
          selection: JEANS,
          measurements: { unit, values: { waist } },
        },
        cookie,
      });
    expect((await save('in', 118)).status).toBe(201);
    expect((await save('cm', 299)).status).toBe(201);
    for (const [unit, waist] of [
      ['in', 999],
      ['in', 200],
      ['cm', 999],
    ] as const) {
      const p = expectProblem(await save(unit, waist), 422);
      expect(p.errors?.[0]).toMatchObject({ path: 'measurements.values.waist' });
    }
  });
});
