import { describe, expect, it } from 'vitest';
import { CatalogError } from './errors';
import { loadCatalog } from './load';
import partnersJson from './partners.json';
import jeansJson from './products/jeans.json';
import shirtJson from './products/shirt.json';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** Loads the real catalog with one product file altered, returning the issues it reports. */
// biome-ignore lint/suspicious/noExplicitAny: the tests break catalog JSON on purpose, field by field
type Json = any;

function issuesWith(
  mutate: (jeans: Json, partners: Json) => void,
): Array<{ file: string; path: string; message: string }> {
  const jeans = clone(jeansJson);
  const partners = clone(partnersJson);
  mutate(jeans, partners);
  try {
    loadCatalog({
      products: [
        { file: 'catalog/products/jeans.json', data: jeans },
        { file: 'catalog/products/shirt.json', data: shirtJson },
      ],
      partners: { file: 'catalog/partners.json', data: partners },
    });
  } catch (e) {
    expect(e).toBeInstanceOf(CatalogError);
    return (e as CatalogError).issues;
  }
  return [];
}

describe('a bad catalog fails at load with the file, the JSON path and the reason', () => {
  it('loads the real catalog cleanly', () => {
    expect(issuesWith(() => {})).toEqual([]);
  });

  it('an unknown module in a rule', () => {
    expect(issuesWith((j) => (j.rules[0].when[0].module = 'fabrik'))).toEqual([
      {
        file: 'catalog/products/jeans.json',
        path: 'rules[0].when[0].module',
        message: 'unknown module "fabrik"',
      },
    ]);
  });

  it('an unknown option in a rule', () => {
    const issues = issuesWith((j) => (j.rules[1].then[0].in = ['comfort', 'ultra']));
    expect(issues).toEqual([
      {
        file: 'catalog/products/jeans.json',
        path: 'rules[1].then[0].in[1]',
        message: 'unknown option "ultra" of module "stretch"',
      },
    ]);
  });

  it('a duplicate option id, and a duplicate generated one', () => {
    expect(issuesWith((j) => (j.modules[2].options[1].id = 'skinny'))[0]).toMatchObject({
      path: 'modules[2].options[1].id',
      message: 'duplicate option id "skinny" in module "fit"',
    });
    expect(issuesWith((j) => (j.modules[1].generate.id = 'inseam'))[0]).toMatchObject({
      path: 'modules[1].generate.id',
      message: 'duplicate option id "inseam" in module "inseam" (and 23 more like it)',
    });
  });

  it('a price that is not an integer of minor units', () => {
    expect(issuesWith((j) => (j.modules[2].options[4].price = 10.5))).toEqual([
      {
        file: 'catalog/products/jeans.json',
        path: 'modules[2].options[4].price',
        message: 'money is an integer of minor units (cents), not a decimal',
      },
    ]);
  });

  it('a rule that makes the product impossible', () => {
    const issues = issuesWith((j) =>
      j.rules.push({
        id: 'nothing',
        kind: 'require',
        when: [],
        then: [{ module: 'fit', notIn: ['skinny', 'slim', 'straight', 'relaxed', 'bootcut'] }],
        message: 'x',
      }),
    );
    expect(issues[0]).toMatchObject({ file: 'catalog/products/jeans.json', path: 'rules[14]' });
    expect(issues[0]!.message).toMatch(/can never be satisfied/);
  });

  it('rules that together leave an option unusable', () => {
    const issues = issuesWith((j) =>
      j.rules.push({
        id: 'no-stretch',
        kind: 'exclude',
        when: [],
        then: [{ module: 'stretch', in: ['comfort', 'power'] }],
        message: 'x',
      }),
    );
    // With no stretch at all, skinny (which needs it) can never be chosen.
    expect(issues.map((i) => i.path)).toEqual([
      'modules[2].options[0]',
      'modules[5].options[1]',
      'modules[5].options[2]',
    ]);
    expect(issues[0]!.message).toBe(
      'option "skinny" can never be chosen: the rules exclude it in every configuration',
    );
  });

  it('a default that is not an option, a bad pattern, an unknown sizing module', () => {
    const paths = issuesWith((j) => {
      j.modules[3].default = 'ultra-high';
      j.sizing.targets[1].module = 'leg';
    }).map((i) => i.path);
    expect(paths).toEqual(['modules[3].default', 'sizing.targets[1].module']);
    expect(issuesWith((j) => (j.modules[8].pattern = '^[A-Z'))[0]!.path).toBe('modules[8].pattern');
  });

  it('routing to an unknown partner or to a 3PL as a supplier, and no default route', () => {
    const issues = issuesWith((_, p) => {
      p.routing.suppliers[0].partner = 'ghost-mill';
      p.routing.suppliers[1].partner = '3pl-eu';
      p.routing.threePls.pop();
    });
    expect(issues.map((i) => [i.file, i.path])).toEqual([
      ['catalog/partners.json', 'routing.suppliers[0].partner'],
      ['catalog/partners.json', 'routing.suppliers[1].partner'],
      ['catalog/partners.json', 'routing.threePls[1]'],
    ]);
  });

  it('lists every problem at once, and the message names each', () => {
    const jeans = clone(jeansJson);
    jeans.currency = 'dollars';
    (jeans as Json).basePrice = -1;
    try {
      loadCatalog({
        products: [{ file: 'jeans.json', data: jeans }],
        partners: { file: 'partners.json', data: partnersJson },
      });
      expect.unreachable();
    } catch (e) {
      expect((e as CatalogError).message).toContain('jeans.json: currency: an ISO 4217 code such as USD');
      expect((e as CatalogError).message).toContain('jeans.json: basePrice');
    }
  });
});

describe('catalog audit: what a hand-edited file gets wrong', () => {
  it('refuses a generator of millions of options quickly, before building them', () => {
    const started = performance.now();
    const issues = issuesWith((j) => (j.modules[1].generate.axes[0].step = 1e-9));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(issues).toEqual([
      {
        file: 'catalog/products/jeans.json',
        path: 'modules[1].generate',
        message: expect.stringMatching(/would generate 12,000,000,001 options; at most 10,000/),
      },
    ]);
  });

  it('names an axis that runs backwards and a generator that leaves no option', () => {
    const backwards = issuesWith((j) => Object.assign(j.modules[1].generate.axes[0], { from: 38, to: 26 }));
    expect(backwards).toEqual([
      {
        file: 'catalog/products/jeans.json',
        path: 'modules[1].generate.axes[0].to',
        message: '"to" (26) is below "from" (38)',
      },
    ]);
    const none = issuesWith(
      (j) => (j.modules[1].generate.exclude = [{ where: { inseam: { min: 0 } }, why: 'x' }]),
    );
    expect(none).toEqual([
      {
        file: 'catalog/products/jeans.json',
        path: 'modules[1].generate',
        message: 'the generator leaves no option: every combination is excluded',
      },
    ]);
  });

  it('names an unknown attribute in a template or a derived sum once, not once per option', () => {
    expect(issuesWith((j) => (j.modules[1].generate.id = 'l{inseem}'))).toEqual([
      {
        file: 'catalog/products/jeans.json',
        path: 'modules[1].generate.id',
        message: 'unknown attribute "{inseem}" (the generator has inseam)',
      },
    ]);
    expect(issuesWith((j) => (j.modules[0].generate.derived[0].sum = ['waist', 'dorp']))).toEqual([
      {
        file: 'catalog/products/jeans.json',
        path: 'modules[0].generate.derived[0].sum[1]',
        message: 'unknown attribute "dorp" (the generator has waist, drop)',
      },
    ]);
  });

  it('reports repeated generated duplicates once with a count', () => {
    const issues = issuesWith((j) => (j.modules[1].generate.code = 'L'));
    expect(issues).toEqual([
      {
        file: 'catalog/products/jeans.json',
        path: 'modules[1].generate.code',
        message: 'duplicate option code "L" in module "inseam" (and 23 more like it)',
      },
    ]);
  });

  it('refuses a text pattern that can take exponential time (ReDoS)', () => {
    for (const pattern of ['^(a+)+$', '^([A-Z]|[A-Z0-9])*$', '^([A-Z]+ ?)*$', '^(\\w{1,3})+$']) {
      const issues = issuesWith((j) => Object.assign(j.modules[8], { pattern, maxLength: 200 }));
      expect(issues, pattern).toEqual([
        {
          file: 'catalog/products/jeans.json',
          path: 'modules[8].pattern',
          message: expect.stringMatching(/exponential time/),
        },
      ]);
    }
    for (const pattern of [
      '^[A-Z]{1,3}$',
      '^[A-Za-z][A-Za-z .]{0,5}$',
      '^(Mr|Ms)\\.? [A-Z]+$',
      '^([A-Z]\\.)*$',
      '^(?:[A-Z]{2})?$',
      '^[(+*]+$',
    ])
      expect(
        issuesWith((j) => (j.modules[8].pattern = pattern)),
        pattern,
      ).toEqual([]);
  });

  it('refuses money too large for the engine (it would wrap around)', () => {
    const issues = issuesWith((j) => (j.modules[2].options[1].price = 3_000_000_000));
    expect(issues).toEqual([
      {
        file: 'catalog/products/jeans.json',
        path: 'modules[2].options[1].price',
        message: 'at most 1,000,000,000 minor units',
      },
    ]);
  });

  it('refuses defaults that together break a rule', () => {
    const issues = issuesWith((j) => {
      j.modules[4].default = 'selvedge-14';
      j.modules[5].default = 'comfort';
    });
    expect(issues).toEqual([
      {
        file: 'catalog/products/jeans.json',
        path: 'modules[5].default',
        message: expect.stringMatching(/^the defaults break rule "selvedge-is-rigid"/),
      },
    ]);
  });

  it('refuses a partner URL that is not http(s), and duplicate route ids', () => {
    for (const url of ['ftp://example.com/hook', 'javascript:alert(1)', 'file:///etc/passwd', 'mailto:a@b.c'])
      expect(
        issuesWith((_, p) => (p.partners[0].url = url)),
        url,
      ).toEqual([
        {
          file: 'catalog/partners.json',
          path: 'partners[0].url',
          message: 'a webhook URL starts with http:// or https://',
        },
      ]);
    expect(issuesWith((_, p) => (p.partners[0].url = 'https://hooks.example.com/x'))).toEqual([]);
    expect(issuesWith((_, p) => (p.routing.suppliers[1].id = p.routing.suppliers[0].id))).toEqual([
      {
        file: 'catalog/partners.json',
        path: 'routing.suppliers[1].id',
        message: 'duplicate route id "selvedge-to-mill"',
      },
    ]);
  });

  // A shape check let `UK` through: orders to GB fell to the default 3PL instead of the route meant for them.
  it('a 3PL route country that is not an assigned ISO 3166-1 alpha-2 code', () => {
    const gb = partnersJson.routing.threePls[0]!.countries!.indexOf('GB');
    expect(issuesWith((_, p) => (p.routing.threePls[0].countries[gb] = 'UK'))).toEqual([
      {
        file: 'catalog/partners.json',
        path: `routing.threePls[0].countries[${gb}]`,
        message: '"UK" is not an assigned ISO 3166-1 alpha-2 code (the United Kingdom is GB)',
      },
    ]);
    expect(
      issuesWith((_, p) => (p.routing.threePls[1].countries = ['US', 'EU', 'ZZ', 'ca'])).map((i) => i.path),
    ).toEqual([
      'routing.threePls[1].countries[1]',
      'routing.threePls[1].countries[2]',
      'routing.threePls[1].countries[3]',
    ]);
    expect(issuesWith((_, p) => (p.routing.threePls[1].countries = ['ca']))[0]!.message).toBe(
      'an ISO 3166-1 alpha-2 code in upper case, such as DE',
    );
    // XK (Kosovo) is user-assigned but what carriers use: a checkout accepts it, so a route may list it.
    expect(issuesWith((_, p) => p.routing.threePls[1].countries.push('XK'))).toEqual([]);
  });
});
