import { describe, expect, it } from 'vitest';
import { recommendSize } from './recommend';
import { realCatalog } from './test-fixtures';

const catalog = realCatalog();
const jeans = catalog.products.get('jeans')!;
const shirt = catalog.products.get('shirt')!;

describe('recommendSize', () => {
  it('adds the fit ease and prefers a little room over a little tightness', () => {
    const r = recommendSize(jeans, { unit: 'in', values: { waist: 33, hip: 41, inseam: 31.7 } });
    expect(r.selection).toEqual({ size: 'w34-h44', inseam: 'l32' });
    expect(r.advice[0]!.explanation).toContain('1″ ease for the Straight fit');
    // A slimmer fit has less ease, so the same body gets a smaller garment.
    const slim = recommendSize(
      jeans,
      { unit: 'in', values: { waist: 33, hip: 41, inseam: 31.7 } },
      { fit: 'skinny' },
    );
    expect(slim.selection.size).toBe('w33-h41');
  });

  it('takes centimetres', () => {
    const r = recommendSize(jeans, { unit: 'cm', values: { waist: 83.8, hip: 104.1, inseam: 81.3 } });
    expect(r.selection).toEqual({ size: 'w34-h44', inseam: 'l32' });
  });

  it('respects the other choices (a bootcut needs an inseam of 30″ or more)', () => {
    const r = recommendSize(
      jeans,
      { unit: 'in', values: { waist: 30, hip: 38, inseam: 28.5 } },
      { fit: 'bootcut' },
    );
    expect(r.advice.find((a) => a.module === 'inseam')).toMatchObject({ status: 'out_of_range' });
    expect(r.selection.inseam).toBeUndefined();
  });

  it('says so plainly when the body is outside the size range, instead of a wrong size', () => {
    const r = recommendSize(jeans, { unit: 'in', values: { waist: 62, hip: 66, inseam: 32 } });
    const size = r.advice.find((a) => a.module === 'size')!;
    expect(size.status).toBe('out_of_range');
    expect(size.explanation).toContain('our largest is 58″');
    expect(r.selection).toEqual({ inseam: 'l32' });
  });

  it('rejects implausible measurements and reports missing ones', () => {
    const r = recommendSize(jeans, { unit: 'in', values: { waist: 3, inseam: 32 } });
    expect(r.problems).toEqual([
      { measurement: 'waist', message: 'Waist should be a body measurement of 18–75 in.' },
    ]);
    expect(r.advice.find((a) => a.module === 'size')!.status).toBe('missing');
  });

  it('sizes a shirt from neck and arm', () => {
    const r = recommendSize(shirt, { unit: 'in', values: { neck: 15.2, arm: 33 } });
    expect(r.selection).toEqual({ 'collar-size': 'n16', sleeve: 's34' });
  });
});
