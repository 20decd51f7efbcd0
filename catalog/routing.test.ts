import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES } from './countries';
import { plainJeans, realCatalog } from './engine/test-fixtures';
import { routeLine, routeOrder, routeThreePl } from './routing';

const catalog = realCatalog();
const jeans = catalog.products.get('jeans')!;
const shirt = catalog.products.get('shirt')!;
const shirtSel = {
  'collar-size': 'n16',
  sleeve: 's34',
  fit: 'slim',
  collar: 'spread',
  cuff: 'barrel',
  fabric: 'poplin',
  pocket: 'none',
};

describe('routing says which partner and why', () => {
  it('selvedge goes to the mill, other jeans to the workshop, shirts to the shirtmaker', () => {
    expect(routeLine(catalog.routing, jeans, { ...plainJeans, fabric: 'selvedge-14' })).toEqual({
      partnerId: 'selvedge-mill',
      routeId: 'selvedge-to-mill',
      reason: 'Selvedge denim is cut and sewn at the mill that weaves it.',
    });
    expect(routeLine(catalog.routing, jeans, { ...plainJeans }).partnerId).toBe('workshop');
    expect(routeLine(catalog.routing, shirt, shirtSel).partnerId).toBe('shirtmaker');
  });

  it('picks the 3PL by destination country with a default', () => {
    expect(routeThreePl(catalog.routing, 'DE').partnerId).toBe('3pl-eu');
    expect(routeThreePl(catalog.routing, 'US').partnerId).toBe('3pl-na');
    expect(routeThreePl(catalog.routing, 'JP')).toMatchObject({
      partnerId: '3pl-world',
      routeId: 'rest-of-world',
    });
  });

  it('ships to every country the checkout offers (all of COUNTRY_CODES): none is left without a 3PL', () => {
    const unshippable = [...COUNTRY_CODES].filter((code) => !routeThreePl(catalog.routing, code).partnerId);
    expect(unshippable).toEqual([]);
    expect(routeThreePl(catalog.routing, 'TH').partnerId).toBe('3pl-world');
    expect(routeThreePl(catalog.routing, 'XK').partnerId).toBe('3pl-world');
  });

  it('routes a whole order, skipping partners an operator disabled', () => {
    const order = {
      lines: [
        { product: jeans, selection: { ...plainJeans, fabric: 'selvedge-21' } },
        { product: shirt, selection: shirtSel },
      ],
      country: 'FR',
    };
    const routed = routeOrder(catalog.routing, order);
    expect(routed.lines.map((l) => l.partnerId)).toEqual(['selvedge-mill', 'shirtmaker']);
    expect(routed.threePl.partnerId).toBe('3pl-eu');
    const fallback = routeOrder(catalog.routing, order, {
      unavailable: new Set(['selvedge-mill', '3pl-eu']),
    });
    expect(fallback.lines[0]!.partnerId).toBe('workshop');
    expect(fallback.threePl.partnerId).toBe('3pl-world');
    expect(() =>
      routeOrder(catalog.routing, order, { unavailable: new Set(['shirtmaker', 'workshop']) }),
    ).toThrow(/no enabled supplier/);
  });
});
