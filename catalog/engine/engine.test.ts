import { describe, expect, it } from 'vitest';
import { availableOptions } from './available';
import { count } from './count';
import { nearestValid } from './nearest';
import { price } from './price';
import { parseSpecCode, specCode } from './spec-code';
import { plainJeans, realCatalog } from './test-fixtures';
import { validate } from './validate';

const catalog = realCatalog();
const jeans = catalog.products.get('jeans')!;
const shirt = catalog.products.get('shirt')!;

describe('the jeans', () => {
  it('has 227 waist/hip sizes and 25 inseams (5,675 sizes)', () => {
    const size = jeans.modules[jeans.moduleIndex.get('size')!]!;
    const inseam = jeans.modules[jeans.moduleIndex.get('inseam')!]!;
    expect(size.size).toBe(227);
    expect(inseam.size).toBe(25);
    expect(inseam.optionIds[0]).toBe('l26');
    expect(inseam.optionIds[1]).toBe('l26.5');
    expect(inseam.optionIds.at(-1)).toBe('l38');
  });

  it('accepts a plain pair and prices it line by line in cents', () => {
    expect(validate(jeans, { ...plainJeans })).toEqual({ valid: true, complete: true, errors: [] });
    const p = price(jeans, { ...plainJeans, fit: 'bootcut', size: 'w46-h54', monogram: 'AB' });
    expect(p.currency).toBe('USD');
    expect(p.lines.map((l) => [l.label, l.amount])).toEqual([
      ['Made-to-measure jeans', 12900],
      ['Fit: Bootcut', 1000],
      ['Monogram "AB"', 1200],
      ['Extended size (waist 44″ and up)', 1000],
    ]);
    expect(p.total).toBe(16100);
  });

  it('reports every broken rule with its module, and unknown input without crashing', () => {
    const r = validate(jeans, {
      ...plainJeans,
      fabric: 'selvedge-21',
      stretch: 'power',
      hem: 'cuffed',
      fit: 'mystery',
    });
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.rule ?? e.code).sort()).toEqual([
      'heavy-no-turnup',
      'selvedge-is-rigid',
      'unknown_option',
    ]);
    expect(validate(jeans, { ...plainJeans, monogram: 'toolong' }).errors[0]!.code).toBe('text_length');
    expect(validate(jeans, { ...plainJeans, monogram: 'ab' }).errors[0]!.code).toBe('text_pattern');
    expect(validate(jeans, null as never).valid).toBe(false);
  });

  it('flags a dead end that no single rule shows (selvedge + skinny: skinny needs stretch, selvedge has none)', () => {
    const r = validate(jeans, { fabric: 'selvedge-14', fit: 'skinny' });
    expect(r.valid).toBe(false);
    expect(r.errors.some((e) => e.module === 'selection')).toBe(true);
  });

  it('disables an option reached through a chain of rules, and says what to change', () => {
    const fit = availableOptions(jeans, { fabric: 'selvedge-14' }).find((m) => m.id === 'fit')!;
    const skinny = fit.options.find((o) => o.id === 'skinny')!;
    expect(skinny.available).toBe(false);
    expect(skinny.rules).toEqual(['skinny-needs-stretch', 'selvedge-is-rigid']);
    expect(skinny.change).toEqual(['fabric']);
    expect(fit.options.filter((o) => o.available).map((o) => o.id)).toEqual([
      'slim',
      'straight',
      'relaxed',
      'bootcut',
    ]);
  });

  it('counts exactly, and counts agree with the selection', () => {
    expect(count(jeans)).toBe(23_511_306n);
    const bySize = count(jeans, { size: 'w34-h42' }) * 227n;
    expect(bySize).toBeGreaterThan(0n);
    expect(count(jeans, { ...plainJeans })).toBe(2n); // with or without a monogram
    expect(count(jeans, { ...plainJeans, monogram: 'AB' })).toBe(1n);
  });

  it('round-trips spec codes', () => {
    const sel = { ...plainJeans, monogram: 'JDS' };
    const code = specCode(jeans, sel);
    expect(code).toBe('JN-34/42-32-STR-MID-CL12-NS-RNS-STD-JDS');
    expect(parseSpecCode(catalog.products.values(), code)).toEqual({ productId: 'jeans', selection: sel });
    const shirtSel = {
      'collar-size': 'n15.5',
      sleeve: 's34',
      fit: 'slim',
      collar: 'spread',
      cuff: 'barrel',
      fabric: 'poplin',
      pocket: 'none',
      monogram: 'J. S',
    };
    const shirtCode = specCode(shirt, shirtSel);
    expect(shirtCode).toBe('SH-15.5-34-SLM-SPR-BRL-POP-P0-J~2E~20S');
    expect(parseSpecCode(catalog.products.values(), shirtCode).selection).toEqual(shirtSel);
    expect(() => parseSpecCode(catalog.products.values(), 'JN-34/42')).toThrow(/segments/);
    // Without a monogram the code ends with the hem, not a dangling separator.
    expect(specCode(jeans, { ...plainJeans })).toBe('JN-34/42-32-STR-MID-CL12-NS-RNS-STD');
    expect(parseSpecCode(catalog.products.values(), 'JN-34/42-32-STR-MID-CL12-NS-RNS-STD').selection).toEqual(
      plainJeans,
    );
  });
});

describe('nearestValid', () => {
  it('replaces a retired option by the default rather than a dearer look-alike, and says why', () => {
    const r = nearestValid(
      jeans,
      { ...plainJeans, fabric: 'summer-8' },
      { retired: { fabric: { label: 'Summer 8 oz' } } },
    );
    expect(r.selection.fabric).toBe('classic-12');
    expect(r.changes).toEqual([{ module: 'fabric', from: 'summer-8', to: 'classic-12', why: 'retired' }]);
  });

  it('matches a retired size by its numbers, and keeps everything else', () => {
    const r = nearestValid(
      jeans,
      { ...plainJeans, size: 'w34-h43' },
      { retired: { size: { attrs: { waist: 34, hip: 43 } } } },
    );
    // Every size one inch away on one measure is as near; one of them, not something far off.
    expect(['w34-h42', 'w34-h44', 'w33-h43', 'w35-h43']).toContain(r.selection.size);
    expect(r.changes.map((c) => c.module)).toEqual(['size']);
  });

  it('says when a whole module was retired: the choice is dropped, and the change names it', () => {
    // A spec saved when the jeans still had a "lining" choice: everything else still stands.
    const r = nearestValid(jeans, { ...plainJeans, lining: 'pocketing-flannel' });
    expect(r.selection).toEqual(plainJeans);
    expect(r.changes).toEqual([{ module: 'lining', from: 'pocketing-flannel', why: 'module_retired' }]);
  });
});
