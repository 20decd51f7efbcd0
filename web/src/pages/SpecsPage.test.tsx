import { describe, expect, it } from 'vitest';
import type { Spec } from '../api';
import { loaded } from '../test-utils';
import { reviewSpec } from './SpecsPage';

const spec: Spec = {
  id: 'spec_1',
  name: 'Work jeans',
  productId: 'jeans',
  selection: {
    size: 'w34-h42',
    inseam: 'l32',
    fit: 'straight',
    rise: 'mid',
    fabric: 'light-9',
    stretch: 'none',
    wash: 'rinse',
    hem: 'standard',
  },
  specCode: 'JN-34/42-32-STR-MID-LT9-NS-RNS-STD-',
  catalogVersion: '2026.11.0',
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
};

describe('reorder after a catalog change', () => {
  it('is quiet when nothing changed', () => {
    const r = reviewSpec(spec, loaded('jeans'));
    expect(r.changed).toBe(false);
    expect(r.priceNow).toBe(12900);
  });

  it('names a retired option, its replacement and the new price', () => {
    const next = loaded('jeans', (p) => {
      p.catalogVersion = '2027.01.0';
      p.basePrice = 13900;
      const fabric = p.modules.find((m) => m.id === 'fabric');
      if (fabric?.kind === 'choice') fabric.options = fabric.options.filter((o) => o.id !== 'light-9');
      p.rules = p.rules.filter((r) => !JSON.stringify(r).includes('light-9'));
    });
    const r = reviewSpec(spec, next);
    expect(r.changed).toBe(true);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({
      module: 'fabric',
      from: 'light-9',
      why: 'retired',
      moduleLabel: 'Fabric',
    });
    expect(r.changes[0]!.toLabel).toBeTruthy();
    expect(r.selection.fabric).not.toBe('light-9');
    expect(r.priceNow).toBeGreaterThanOrEqual(13900);
  });

  it('says when the repair needs text only the customer can type (a monogram made required)', () => {
    const next = loaded('jeans', (p) => {
      p.catalogVersion = '2027.01.0';
      const monogram = p.modules.find((m) => m.id === 'monogram');
      if (monogram) monogram.required = true;
    });
    const r = reviewSpec({ ...spec, selection: { ...spec.selection, fabric: 'classic-12' } }, next);
    expect(r.changes).toEqual([expect.objectContaining({ module: 'monogram', why: 'text_required' })]);
    // Before: "Update my spec and order" was offered, and the server refused the incomplete spec.
    expect(r.needsInput).toBe(true);
  });

  it('names a module the catalog no longer has readably, with the choice that goes', () => {
    // The change list read "rise: — (no longer a choice)".
    const next = loaded('jeans', (p) => {
      p.catalogVersion = '2027.01.0';
      p.modules = p.modules.filter((m) => m.id !== 'rise');
      p.rules = p.rules.filter((r) => !JSON.stringify(r).includes('"rise"'));
    });
    const r = reviewSpec({ ...spec, selection: { ...spec.selection, fabric: 'classic-12' } }, next);
    expect(r.changes).toEqual([
      expect.objectContaining({
        module: 'rise',
        why: 'module_retired',
        moduleLabel: 'Rise',
        fromLabel: 'mid',
      }),
    ]);
  });
});
