import { describe, expect, it } from 'vitest';
import { proposeAdjustment } from './adjust';
import { plainJeans, realCatalog } from './test-fixtures';
import { validate } from './validate';

const catalog = realCatalog();
const jeans = catalog.products.get('jeans')!;
const shirt = catalog.products.get('shirt')!;

describe('proposeAdjustment: fit feedback becomes a concrete, valid change of the spec', () => {
  it('waist too tight and inseam too short: one waist step up on the same hip, an inch longer', () => {
    const r = proposeAdjustment(
      jeans,
      { ...plainJeans },
      { waist: 'too_tight', hip: 'right', inseam: 'too_short', thigh: 'right' },
    );
    expect(r.selection.size).toBe('w35-h43'); // hip drops are even: 42 is not on the 35″ waist, 43 is the nearest
    expect(r.selection.inseam).toBe('l33');
    expect(r.summary[0]).toBe('Waist / hip: Waist 34″ · Hip 42″ → Waist 35″ · Hip 43″ (waist too tight).');
    expect(r.summary[1]).toBe('Inseam: 32″ → 33″ (inseam length too short).');
    expect(validate(jeans, r.selection).valid).toBe(true);
  });

  it('hip too loose moves the hip down, thigh too tight moves to a roomier fit', () => {
    const r = proposeAdjustment(jeans, { ...plainJeans }, { hip: 'too_loose', thigh: 'too_tight' });
    expect(r.selection.size).toBe('w34-h40');
    expect(r.selection.fit).toBe('relaxed');
  });

  it('keeps the result valid with knock-on changes (a looser thigh from skinny, where slim needs no stretch)', () => {
    const skinny = { ...plainJeans, fit: 'skinny', stretch: 'power', hem: 'standard' };
    const r = proposeAdjustment(jeans, skinny, { inseam: 'too_long' });
    expect(r.selection.inseam).toBe('l31');
    expect(validate(jeans, r.selection).valid).toBe(true);
    // A bootcut needs 30″: shortening a 30″ bootcut keeps it valid by changing as little as possible.
    const boot = proposeAdjustment(
      jeans,
      { ...plainJeans, fit: 'bootcut', inseam: 'l30' },
      { inseam: 'too_long' },
    );
    expect(validate(jeans, boot.selection).valid).toBe(true);
    expect(boot.changes.map((c) => c.module).sort()).toEqual(['fit', 'inseam']);
    expect(
      boot.summary.some(
        (s) => s.startsWith('Fit: Bootcut →') && s.endsWith('(to keep the configuration valid).'),
      ),
    ).toBe(true);
  });

  it('says so at the end of the range, and changes nothing when everything is right', () => {
    const r = proposeAdjustment(jeans, { ...plainJeans, inseam: 'l38' }, { inseam: 'too_short' });
    expect(r.unchanged).toBe(true);
    expect(r.summary).toEqual(['Inseam length: 38″ is already at the end of our range.']);
    expect(proposeAdjustment(jeans, { ...plainJeans }, { waist: 'right' }).unchanged).toBe(true);
  });

  it('works for shirts (collar half a size up, sleeve shorter, chest roomier)', () => {
    const sel = {
      'collar-size': 'n15.5',
      sleeve: 's34',
      fit: 'slim',
      collar: 'spread',
      cuff: 'barrel',
      fabric: 'poplin',
      pocket: 'none',
    };
    const r = proposeAdjustment(shirt, sel, { collar: 'too_tight', sleeve: 'too_long', chest: 'too_tight' });
    expect(r.selection).toMatchObject({ 'collar-size': 'n16', sleeve: 's33.5', fit: 'tailored' });
  });

  it('rejects unknown areas and answers on the wrong scale', () => {
    expect(() => proposeAdjustment(jeans, { ...plainJeans }, { knee: 'too_tight' })).toThrow(
      /no fit area "knee"/,
    );
    expect(() => proposeAdjustment(jeans, { ...plainJeans }, { inseam: 'too_tight' })).toThrow(
      /too_short, right, too_long/,
    );
  });
});
