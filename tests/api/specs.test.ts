import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, editedCatalog, expectProblem, JEANS, type Json, retireOption, signUp } from './setup';

const t = createTestApp();
const originalCatalog = t.deps.catalog;
afterAll(() => t.close());

const newSpec = (overrides: Json = {}) => ({
  name: 'Everyday jeans',
  productId: 'jeans',
  selection: JEANS,
  measurements: { unit: 'in', values: { waist: 33, hip: 41, inseam: 32 } },
  ...overrides,
});

describe('specs CRUD', () => {
  it('401s without a session', async () => {
    expectProblem(await t.call('GET', '/api/specs'), 401);
    expectProblem(await t.call('POST', '/api/specs', { body: newSpec() }), 401);
  });

  it('creates, lists, reads, patches (keeping history) and deletes a spec', async () => {
    const { cookie } = await signUp(t);
    const created = await t.call('POST', '/api/specs', { cookie, body: newSpec() });
    expect(created.status).toBe(201);
    const spec = created.body;
    expect(spec).toMatchObject({
      id: expect.stringMatching(/^spec_/),
      name: 'Everyday jeans',
      productId: 'jeans',
      selection: JEANS,
      specCode: expect.any(String),
      measurements: { unit: 'in', values: { waist: 33, hip: 41, inseam: 32 } },
      catalogVersion: expect.any(String),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const list = await t.call('GET', '/api/specs', { cookie });
    expect(list.body.map((s: Json) => s.id)).toEqual([spec.id]);

    const read = await t.call('GET', `/api/specs/${spec.id}`, { cookie });
    expect(read.status).toBe(200);
    expect(read.body.validity).toMatchObject({ valid: true, changes: [] });

    const patched = await t.call('PATCH', `/api/specs/${spec.id}`, {
      cookie,
      body: { name: 'Looser jeans ✂️', selection: { ...JEANS, fit: 'relaxed' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Looser jeans ✂️', version: 2 });
    expect(patched.body.selection.fit).toBe('relaxed');
    expect(patched.body.specCode).not.toBe(spec.specCode);

    const versions = await t.call('GET', `/api/specs/${spec.id}/versions`, { cookie });
    expect(versions.body.map((v: Json) => [v.version, v.selection.fit])).toEqual([
      [2, 'relaxed'],
      [1, 'straight'],
    ]);

    expect((await t.call('DELETE', `/api/specs/${spec.id}`, { cookie })).status).toBe(204);
    expectProblem(await t.call('GET', `/api/specs/${spec.id}`, { cookie }), 404);
  });

  it('takes a spec sent back whole from GET, and refuses to move it to another product', async () => {
    const { cookie } = await signUp(t);
    const spec = (await t.call('POST', '/api/specs', { cookie, body: newSpec() })).body;
    const read = (await t.call('GET', `/api/specs/${spec.id}`, { cookie })).body;
    const whole = await t.call('PATCH', `/api/specs/${spec.id}`, {
      cookie,
      body: { ...read, name: 'Renamed', selection: { ...read.selection, fit: 'relaxed' } },
    });
    expect(whole.status).toBe(200);
    expect(whole.body).toMatchObject({ name: 'Renamed', productId: 'jeans', version: 2 });
    const moved = expectProblem(
      await t.call('PATCH', `/api/specs/${spec.id}`, {
        cookie,
        body: { productId: 'shirt', name: 'Shirt now' },
      }),
      422,
    );
    expect(moved.errors).toEqual([expect.objectContaining({ path: 'productId', code: 'immutable' })]);
    expect((await t.call('GET', `/api/specs/${spec.id}`, { cookie })).body).toMatchObject({
      name: 'Renamed',
      version: 2,
    });
  });

  it('422s an invalid or incomplete selection, naming the modules', async () => {
    const { cookie } = await signUp(t);
    const bad = expectProblem(
      await t.call('POST', '/api/specs', {
        cookie,
        body: newSpec({ selection: { ...JEANS, fabric: 'selvedge-21', stretch: 'power' } }),
      }),
      422,
    );
    expect(bad.errors?.every((e) => e.path.startsWith('selection.'))).toBe(true);
    const { hem: _h, ...noHem } = JEANS;
    const incomplete = expectProblem(
      await t.call('POST', '/api/specs', { cookie, body: newSpec({ selection: noHem }) }),
      422,
    );
    expect(incomplete.errors).toContainEqual(
      expect.objectContaining({ path: 'selection.hem', code: 'missing' }),
    );
    const wrongTypes = expectProblem(
      await t.call('POST', '/api/specs', { cookie, body: { name: 5, productId: 'jeans', selection: [] } }),
      422,
    );
    expect(wrongTypes.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['name', 'selection']));
    expectProblem(await t.call('POST', '/api/specs', { cookie, body: newSpec({ productId: 'kilt' }) }), 404);
    expectProblem(await t.call('PATCH', '/api/specs/spec_nope', { cookie, body: { name: 'x' } }), 404);
  });

  it("isolates customers: B cannot read, change or delete A's spec (404)", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const spec = (await t.call('POST', '/api/specs', { cookie: a.cookie, body: newSpec() })).body;
    expectProblem(await t.call('GET', `/api/specs/${spec.id}`, { cookie: b.cookie }), 404);
    expectProblem(
      await t.call('PATCH', `/api/specs/${spec.id}`, { cookie: b.cookie, body: { name: 'mine' } }),
      404,
    );
    // Whatever the body: a foreign spec's PATCH with a wrong or empty body was the body's 422/400.
    for (const raw of [JSON.stringify({ name: 5, selection: [] }), '{', ''])
      expectProblem(await t.call('PATCH', `/api/specs/${spec.id}`, { cookie: b.cookie, raw }), 404);
    expectProblem(
      await t.call('PATCH', '/api/specs/spec_nope', { cookie: a.cookie, raw: '{"name":5}' }),
      404,
    );
    expectProblem(await t.call('DELETE', `/api/specs/${spec.id}`, { cookie: b.cookie }), 404);
    expectProblem(await t.call('GET', `/api/specs/${spec.id}/versions`, { cookie: b.cookie }), 404);
    expect((await t.call('GET', '/api/specs', { cookie: b.cookie })).body).toEqual([]);
    expect((await t.call('GET', `/api/specs/${spec.id}`, { cookie: a.cookie })).body.name).toBe(
      'Everyday jeans',
    );
  });
});

describe('a spec against a catalog that moved on', () => {
  it('says which modules changed and offers the nearest valid alternative', async () => {
    const { cookie } = await signUp(t);
    const spec = (
      await t.call('POST', '/api/specs', {
        cookie,
        body: newSpec({ selection: { ...JEANS, wash: 'stone' } }),
      })
    ).body;
    t.deps.catalog = editedCatalog(({ products }) => retireOption(products['jeans.json'], 'wash', 'stone'));
    try {
      const read = await t.call('GET', `/api/specs/${spec.id}`, { cookie });
      expect(read.status).toBe(200);
      expect(read.body.selection.wash).toBe('stone');
      const v = read.body.validity;
      expect(v.valid).toBe(false);
      expect(v.catalogVersion).toBe('2027.1.0');
      expect(v.changes).toEqual([
        expect.objectContaining({ module: 'wash', from: 'stone', fromLabel: 'Stone wash', why: 'retired' }),
      ]);
      expect(v.alternative.selection.wash).not.toBe('stone');
      expect(v.alternative.specCode).toEqual(expect.any(String));
    } finally {
      t.deps.catalog = originalCatalog;
    }
  });

  it('names a module retired since the spec was saved, with the label it was saved under', async () => {
    const { cookie } = await signUp(t);
    const spec = (
      await t.call('POST', '/api/specs', { cookie, body: newSpec({ selection: { ...JEANS, rise: 'high' } }) })
    ).body;
    t.deps.catalog = editedCatalog(({ products }) => {
      const jeans = products['jeans.json'];
      jeans.modules = jeans.modules.filter((m: Json) => m.id !== 'rise');
      jeans.rules = jeans.rules.filter((r: Json) => !JSON.stringify(r).includes('"rise"'));
      jeans.version = '2027.1.0';
    });
    try {
      const v = (await t.call('GET', `/api/specs/${spec.id}`, { cookie })).body.validity;
      expect(v.valid).toBe(false);
      // Before: `changes` was empty, so "which modules changed" named nothing.
      expect(v.changes).toEqual([
        { module: 'rise', from: 'high', fromLabel: 'High rise', why: 'module_retired' },
      ]);
      expect(v.alternative.selection).not.toHaveProperty('rise');
      const draft = (await t.call('POST', `/api/specs/${spec.id}/reorder`, { cookie })).body;
      expect(draft.lines[0].changes).toEqual(v.changes);
    } finally {
      t.deps.catalog = originalCatalog;
    }
  });
});
