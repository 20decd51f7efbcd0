import type { ProductInput, RuleDef } from '../../catalog/index';

/**
 * A synthetic made-to-measure suit jacket for the engine benchmark: 14 modules (2.4·10^10 raw
 * combinations) and 48 rules between random pairs of modules, deterministic from `seed`, with a
 * ring of rules through every module so the rule graph is full of cycles.
 */
export function syntheticProduct(seed = 42, ruleCount = 48): ProductInput {
  let state = seed >>> 0;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const sizes = [12, 10, 8, 8, 6, 6, 6, 5, 5, 4, 4, 4, 3, 3];
  const names = [
    'chest',
    'length',
    'shoulder',
    'sleeve',
    'lapel',
    'buttons',
    'vents',
    'pockets',
    'lining',
    'cloth',
    'canvas',
    'stitch',
    'collar',
    'fit',
  ];
  const modules = sizes.map((n, m) => ({
    id: names[m]!,
    label: names[m]![0]!.toUpperCase() + names[m]!.slice(1),
    kind: 'choice' as const,
    options: Array.from({ length: n }, (_, i) => ({
      id: `${names[m]}-${i}`,
      label: `${names[m]} ${i}`,
      code: `${m}X${i}`,
      price: 100 * i,
      attrs: { rank: i },
    })),
  }));
  const rules: RuleDef[] = [];
  const option = (m: number) => `${names[m]}-${Math.floor(random() * sizes[m]!)}`;
  const addRule = (a: number, b: number) => {
    const i = rules.length;
    const kind = pick(['exclude', 'exclude', 'require', 'bound'] as const);
    if (kind === 'exclude') {
      rules.push({
        id: `r${i}`,
        kind: 'exclude',
        when: [{ module: names[a]!, in: [option(a)] }],
        then: [{ module: names[b]!, in: [option(b)] }],
        message: `${names[a]} and ${names[b]} clash`,
      });
    } else if (kind === 'require') {
      // Requires one of most options of b (so rules bite without emptying the product).
      const ids = modules[b]!.options.map((o) => o.id).filter(() => random() < 0.75);
      if (ids.length === 0) ids.push(option(b));
      rules.push({
        id: `r${i}`,
        kind: 'require',
        when: [{ module: names[a]!, in: [option(a)] }],
        then: [{ module: names[b]!, in: ids }],
        message: `${names[a]} needs a matching ${names[b]}`,
      });
    } else {
      const min = Math.floor(random() * 2) + 1;
      rules.push({
        id: `r${i}`,
        kind: 'require',
        when: [{ module: names[a]!, attr: 'rank', min: sizes[a]! - 2 }],
        then: [{ module: names[b]!, attr: 'rank', min }],
        message: `a large ${names[a]} needs ${names[b]} of ${min} or more`,
      });
    }
  };
  for (let m = 0; m < sizes.length; m++) addRule(m, (m + 1) % sizes.length); // the ring: a cycle through all
  while (rules.length < ruleCount) {
    const a = Math.floor(random() * sizes.length);
    let b = Math.floor(random() * sizes.length);
    if (b === a) b = (b + 1) % sizes.length;
    addRule(a, b);
  }
  return {
    id: 'suit',
    name: 'Synthetic suit jacket',
    version: '2026.11.0',
    currency: 'EUR',
    basePrice: 50000,
    codePrefix: 'SY',
    modules,
    rules,
  };
}
