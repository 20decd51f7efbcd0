import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, expectProblem, JEANS, type Json, SHIP_TO, signUp } from './setup';

const t = createTestApp();
afterAll(() => t.close());

describe('products', () => {
  it('lists products with id, name, currency and base price', async () => {
    const res = await t.call('GET', '/api/products');
    expect(res.status).toBe(200);
    const jeans = res.body.find((p: Json) => p.id === 'jeans');
    expect(jeans).toMatchObject({ id: 'jeans', currency: 'USD', catalogVersion: expect.any(String) });
    expect(Number.isInteger(jeans.basePrice)).toBe(true);
    expect(typeof jeans.name).toBe('string');
  });

  it('serves the expanded product with every generated option and the catalog version', async () => {
    const res = await t.call('GET', '/api/products/jeans');
    expect(res.status).toBe(200);
    expect(res.body.catalogVersion).toBe(res.body.version);
    const size = res.body.modules.find((m: Json) => m.id === 'size');
    expect(size).toMatchObject({ kind: 'choice', required: true, label: expect.any(String) });
    expect(size.options.length).toBe(227);
    const mono = res.body.modules.find((m: Json) => m.id === 'monogram');
    expect(mono).toMatchObject({
      kind: 'text',
      pattern: expect.any(String),
      maxLength: expect.any(Number),
    });
  });

  it('404s an unknown product as a problem', async () => {
    const p = expectProblem(await t.call('GET', '/api/products/kilt'), 404);
    expect(p.type).toMatch(/not_found$/);
  });
});

describe('POST /api/configure', () => {
  it('answers availability, count as a number, no specCode for a partial selection', async () => {
    const res = await t.call('POST', '/api/configure', { body: { productId: 'jeans', selection: {} } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ complete: false, valid: true });
    expect(res.body.count).toBe(23_511_306);
    expect(res.body.specCode).toBeUndefined();
    expect(res.body.modules.map((m: Json) => m.id)).toContain('fabric');
  });

  it('explains why an option is unavailable', async () => {
    const res = await t.call('POST', '/api/configure', {
      body: { productId: 'jeans', selection: { fabric: 'selvedge-21' } },
    });
    expect(res.status).toBe(200);
    const stretch = res.body.modules.find((m: Json) => m.id === 'stretch');
    const comfort = stretch.options.find((o: Json) => o.id === 'comfort');
    expect(comfort.available).toBe(false);
    expect(comfort.reasons.length).toBeGreaterThan(0);
    expect(typeof comfort.reasons[0]).toBe('string');
  });

  it('returns the price and spec code of a complete configuration', async () => {
    const res = await t.call('POST', '/api/configure', { body: { productId: 'jeans', selection: JEANS } });
    expect(res.body).toMatchObject({ complete: true, valid: true, specCode: expect.any(String) });
    expect(res.body.price.currency).toBe('USD');
  });

  it('reports conflicting choices as valid:false with errors naming modules', async () => {
    const res = await t.call('POST', '/api/configure', {
      body: { productId: 'jeans', selection: { fabric: 'selvedge-21', stretch: 'comfort' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.count).toBe(0);
    expect(res.body.errors.some((e: Json) => e.path === 'stretch' || e.path === 'fabric')).toBe(true);
  });

  it('a text the product cannot take leaves no valid completion: count 0, nothing available', async () => {
    for (const monogram of ['lower', 'ABCD']) {
      const res = await t.call('POST', '/api/configure', {
        body: { productId: 'jeans', selection: { fabric: 'classic-12', monogram } },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ valid: false, count: 0 });
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'monogram' })]);
      for (const m of res.body.modules.filter((x: Json) => x.kind === 'choice'))
        for (const o of m.options) {
          expect(o.available, `${m.id}.${o.id} with monogram ${monogram}`).toBe(false);
          expect(o.reasons?.length).toBeGreaterThan(0);
        }
    }
    // A valid text keeps its completions.
    const ok = await t.call('POST', '/api/configure', {
      body: { productId: 'jeans', selection: { fabric: 'classic-12', monogram: 'ABC' } },
    });
    expect(ok.body.valid).toBe(true);
    expect(ok.body.count).toBeGreaterThan(0);
  });

  it('422s options the product does not have, 404s unknown products, 400s bad JSON', async () => {
    const p = expectProblem(
      await t.call('POST', '/api/configure', { body: { productId: 'jeans', selection: { size: 'xxl' } } }),
      422,
    );
    expect(p.errors).toEqual([expect.objectContaining({ path: 'size', code: 'unknown_option' })]);
    expectProblem(
      await t.call('POST', '/api/configure', { body: { productId: 'kilt', selection: {} } }),
      404,
    );
    expectProblem(await t.call('POST', '/api/configure', { raw: '{"productId":' }), 400);
    const wrong = expectProblem(await t.call('POST', '/api/configure', { body: { productId: 3 } }), 422);
    expect(wrong.errors?.[0].path).toBe('productId');
  });

  it('names the module in `path` for a value of the wrong shape too (CONTRACT), on configure and quote', async () => {
    for (const path of ['/api/configure', '/api/quote']) {
      const p = expectProblem(
        await t.call('POST', path, {
          body: { productId: 'jeans', selection: { ...JEANS, fit: 3, monogram: 'A'.repeat(201) } },
        }),
        422,
      );
      expect((p.errors ?? []).map((e) => e.path).sort(), path).toEqual(['fit', 'monogram']);
      // The selection itself stays `selection`.
      const missing = expectProblem(
        await t.call('POST', path, { body: { productId: 'jeans', selection: [] } }),
        422,
      );
      expect(missing.errors?.[0].path).toBe('selection');
    }
  });
});

describe('POST /api/quote', () => {
  it('prices a complete configuration', async () => {
    const res = await t.call('POST', '/api/quote', { body: { productId: 'jeans', selection: JEANS } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, specCode: expect.any(String) });
    expect(res.body.price.total).toBe(res.body.price.lines.reduce((s: number, l: Json) => s + l.amount, 0));
  });

  it('422s an incomplete or conflicting configuration, naming each module', async () => {
    const { size: _size, ...noSize } = JEANS;
    const p = expectProblem(
      await t.call('POST', '/api/quote', { body: { productId: 'jeans', selection: noSize } }),
      422,
    );
    expect(p.errors).toContainEqual(expect.objectContaining({ path: 'size', code: 'missing' }));
    const q = expectProblem(
      await t.call('POST', '/api/quote', {
        body: { productId: 'jeans', selection: { ...JEANS, fabric: 'selvedge-21', stretch: 'power' } },
      }),
      422,
    );
    expect(q.errors?.length).toBeGreaterThan(0);
  });

  it('a broken rule names every module it involves and the rule, also inside an order line', async () => {
    // Only the module a rule restricts was named (`stretch`): a storefront could not tell that
    // changing the fit also resolves "A skinny fit needs stretch fabric".
    const selection = { ...JEANS, fit: 'skinny', stretch: 'none' };
    const q = expectProblem(
      await t.call('POST', '/api/quote', { body: { productId: 'jeans', selection } }),
      422,
    );
    expect(q.errors).toEqual([
      {
        path: 'stretch',
        code: 'rule',
        rule: 'skinny-needs-stretch',
        modules: ['fit', 'stretch'],
        message: 'A skinny fit needs stretch fabric to move with you.',
      },
    ]);
    const { cookie } = await signUp(t);
    const o = expectProblem(
      await t.call('POST', '/api/orders', {
        cookie,
        headers: { 'idempotency-key': 'rule-modules' },
        body: { lines: [{ productId: 'jeans', selection, quantity: 1 }], shipTo: SHIP_TO },
      }),
      422,
    );
    expect(o.errors).toEqual([
      expect.objectContaining({
        path: 'lines.0.selection.stretch',
        rule: 'skinny-needs-stretch',
        modules: ['lines.0.selection.fit', 'lines.0.selection.stretch'],
      }),
    ]);
  });
});
