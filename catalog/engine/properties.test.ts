import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CatalogError } from '../errors';
import type { Atom, ProductSource, RuleDef } from '../schema';
import { availableOptions } from './available';
import { compile } from './compile';
import { explainAvailability, explainErrors } from './conflict';
import { count } from './count';
import { nearestValid } from './nearest';
import { parseSpecCode, specCode } from './spec-code';
import type { Selection } from './types';
import { validate } from './validate';

/**
 * The engine against brute force: on many small random products with random rule graphs
 * (chains, cycles, multi-condition rules, numeric bounds, text presence), every answer of the
 * compiled engine must equal what enumerating every configuration and checking every rule
 * literally (straight from the JSON semantics, not from the compiled clauses) says.
 */

interface Shape {
  choices: number[]; // option count per choice module
  text: boolean; // one optional text module at the end
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  choices: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 6 }),
  text: fc.boolean(),
});

function atomArb(shape: Shape): fc.Arbitrary<Atom> {
  const choiceAtom = fc.integer({ min: 0, max: shape.choices.length - 1 }).chain((m) => {
    const n = shape.choices[m]!;
    const ids = Array.from({ length: n }, (_, i) => `o${i}`);
    return fc.oneof(
      fc.subarray(ids, { minLength: 1 }).map((s) => ({ module: `m${m}`, in: s }) as Atom),
      fc.subarray(ids, { minLength: 1 }).map((s) => ({ module: `m${m}`, notIn: s }) as Atom),
      fc
        .tuple(fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n }))
        .map(
          ([a, b]) => ({ module: `m${m}`, attr: 'rank', min: Math.min(a, b), max: Math.max(a, b) }) as Atom,
        ),
    );
  });
  if (!shape.text) return choiceAtom;
  return fc.oneof(
    choiceAtom,
    fc.boolean().map((present) => ({ module: 't', present }) as Atom),
  );
}

function productArb(): fc.Arbitrary<ProductSource> {
  return shapeArb.chain((shape) =>
    fc
      .array(
        fc.record({
          kind: fc.constantFrom('exclude', 'require'),
          when: fc.array(atomArb(shape), { maxLength: 2 }),
          then: fc.array(atomArb(shape), { minLength: 1, maxLength: 2 }),
        }),
        { maxLength: 10 },
      )
      .map((rules) => ({
        id: 'p',
        name: 'P',
        version: '2026.1.0',
        currency: 'EUR',
        basePrice: 100,
        codePrefix: 'P',
        modules: [
          ...shape.choices.map((n, m) => ({
            id: `m${m}`,
            label: `M${m}`,
            kind: 'choice' as const,
            options: Array.from({ length: n }, (_, i) => ({
              id: `o${i}`,
              label: `O${i}`,
              code: `C${i}`,
              attrs: { rank: i },
            })),
          })),
          ...(shape.text
            ? [
                {
                  id: 't',
                  label: 'T',
                  kind: 'text' as const,
                  required: false,
                  pattern: '^[A-Z]+$',
                  maxLength: 3,
                },
              ]
            : []),
        ],
        rules: rules.map((r, i) => ({ id: `r${i}`, message: `rule ${i}`, ...r }) as RuleDef),
      })),
  );
}

/** Every complete configuration; text modules as '' (absent) or 'A' (present). */
function allConfigs(p: ProductSource): Selection[] {
  let out: Selection[] = [{}];
  for (const m of p.modules) {
    const values = m.kind === 'text' ? ['', 'A'] : m.options!.map((o) => o.id);
    out = out.flatMap((s) => values.map((v) => ({ ...s, [m.id]: v })));
  }
  return out;
}

function atomHolds(p: ProductSource, a: Atom, s: Selection): boolean {
  const m = p.modules.find((x) => x.id === a.module)!;
  const v = s[a.module] ?? '';
  if (m.kind === 'text') return a.present === undefined || a.present === v.length > 0;
  if (a.in && !a.in.includes(v)) return false;
  if (a.notIn?.includes(v)) return false;
  if (a.attr !== undefined) {
    const x = m.options!.find((o) => o.id === v)?.attrs?.[a.attr];
    if (x === undefined || (a.min !== undefined && x < a.min) || (a.max !== undefined && x > a.max))
      return false;
  }
  return true;
}

function bruteValid(p: ProductSource, s: Selection): boolean {
  return p.rules.every((r) => {
    if (r.kind === 'price') return true;
    const when = r.when.every((a) => atomHolds(p, a, s));
    if (!when) return true;
    return r.kind === 'exclude'
      ? !r.then.some((a) => atomHolds(p, a, s))
      : r.then.some((a) => atomHolds(p, a, s));
  });
}

/** A complete config agrees with a partial selection: same option; for text, "present" matches any text. */
const agrees = (full: Selection, partial: Selection) =>
  Object.entries(partial).every(([k, v]) => (k === 't' ? v === '' || full[k] !== '' : full[k] === v));

/** A random partial selection over the product's modules. */
function partialArb(p: ProductSource): fc.Arbitrary<Selection> {
  return fc
    .tuple(
      ...p.modules.map((m) =>
        fc.option(fc.constantFrom(...(m.kind === 'text' ? ['A'] : m.options!.map((o) => o.id))), {
          nil: undefined,
        }),
      ),
    )
    .map((vals) => {
      const s: Selection = {};
      vals.forEach((v, i) => {
        if (v !== undefined) s[p.modules[i]!.id] = v;
      });
      return s;
    });
}

// PROPERTY_RUNS raises the count for a local soak; CI runs the default.
const runs = { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) };

describe('engine vs brute force on random catalogs', () => {
  it('count, availability and validation match enumeration (cycles included)', () => {
    fc.assert(
      fc.property(
        productArb().chain((p) => fc.tuple(fc.constant(p), partialArb(p))),
        ([p, partial]) => {
          const configs = allConfigs(p);
          const valid = configs.filter((c) => bruteValid(p, c));
          let cp: ReturnType<typeof compile>;
          try {
            cp = compile(p);
          } catch (e) {
            expect(e).toBeInstanceOf(CatalogError);
            expect(valid.length).toBe(0);
            return;
          }
          expect(valid.length).toBeGreaterThan(0);
          expect(count(cp)).toBe(BigInt(valid.length));
          const extending = valid.filter((c) => agrees(c, partial));
          expect(count(cp, partial)).toBe(BigInt(extending.length));

          // Availability: some valid config agrees on every OTHER module and takes this option.
          for (const m of availableOptions(cp, partial)) {
            const others: Selection = { ...partial };
            delete others[m.id];
            if (m.kind === 'text') {
              const expected = valid.some((c) => agrees(c, others) && c[m.id] !== '');
              expect(m.available).toBe(expected);
              continue;
            }
            for (const o of m.options) {
              const expected = valid.some((c) => agrees(c, others) && c[m.id] === o.id);
              expect(o.available, `${m.id}=${o.id} with ${JSON.stringify(partial)}`).toBe(expected);
              if (!o.available) expect(o.reasons?.length).toBeGreaterThan(0);
            }
          }

          // Validation of a partial selection: valid exactly when it can still be completed.
          const r = validate(cp, partial);
          const textAbsentExtends = valid.some(
            (c) => agrees(c, partial) && (partial.t !== undefined || c.t === '' || !('t' in c)),
          );
          expect(r.valid).toBe(textAbsentExtends);
        },
      ),
      runs,
    );
  });

  it('conflict explanations name modules and rules that really rule the choices out', () => {
    /** Only these rules, checked literally: does some complete configuration agreeing with `s` pass them all? */
    const passesOnly = (p: ProductSource, ids: string[], s: Selection, configs: Selection[]) =>
      configs.some(
        (c) => agrees(c, s) && bruteValid({ ...p, rules: p.rules.filter((r) => ids.includes(r.id)) }, c),
      );
    fc.assert(
      fc.property(
        productArb().chain((p) => fc.tuple(fc.constant(p), partialArb(p))),
        ([p, partial]) => {
          let cp: ReturnType<typeof compile>;
          try {
            cp = compile(p);
          } catch {
            return;
          }
          const configs = allConfigs(p);
          const moduleIds = p.modules.map((m) => m.id);
          const before = validate(cp, partial).errors;
          const errors = explainErrors(cp, partial, before);
          for (const e of errors) expect(moduleIds).toContain(e.module);
          if (before.some((e) => e.module === 'selection')) {
            // The rules named in its place rule the choices out on their own (an empty text is "no text").
            const named = errors.flatMap((e) => (e.code === 'rule' && e.rule ? [e.rule] : []));
            const exact = (c: Selection) =>
              p.modules.every((m) =>
                m.id in partial
                  ? m.id === 't'
                    ? c.t !== ''
                    : c[m.id] === partial[m.id]
                  : m.id !== 't' || c.t === '',
              );
            if (named.length)
              expect(
                configs.some(
                  (c) =>
                    exact(c) && bruteValid({ ...p, rules: p.rules.filter((r) => named.includes(r.id)) }, c),
                ),
              ).toBe(false);
            else expect(errors.filter((e) => e.code === 'rule').length).toBeGreaterThan(0);
          }
          // Every unavailable option: the rules given as its reasons rule it out on their own.
          for (const m of explainAvailability(cp, partial, availableOptions(cp, partial))) {
            for (const o of m.options) {
              if (o.available) continue;
              expect(o.reasons?.length).toBeGreaterThan(0);
              if (!o.rules?.length) continue;
              const others: Selection = { ...partial, [m.id]: o.id };
              expect(
                passesOnly(p, o.rules, others, configs),
                `${m.id}=${o.id} with ${JSON.stringify(partial)}: ${o.rules}`,
              ).toBe(false);
            }
          }
        },
      ),
      runs,
    );
  });

  it('every complete configuration: validate agrees, spec codes round-trip, nearestValid keeps valid ones and repairs the rest', () => {
    fc.assert(
      fc.property(productArb(), (p) => {
        const configs = allConfigs(p);
        let cp: ReturnType<typeof compile>;
        try {
          cp = compile(p);
        } catch {
          return;
        }
        for (const c of configs) {
          const canonical: Selection = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== ''));
          const ok = bruteValid(p, c);
          const r = validate(cp, canonical);
          expect(r.complete).toBe(true);
          expect(r.valid, JSON.stringify(canonical)).toBe(ok);
          if (!ok) expect(r.errors.length).toBeGreaterThan(0);
          expect(parseSpecCode([cp], specCode(cp, canonical))).toEqual({
            productId: 'p',
            selection: canonical,
          });
          const near = nearestValid(cp, canonical);
          const needsText = near.changes.some((ch) => ch.why === 'text_required');
          expect(validate(cp, near.selection).valid).toBe(!needsText);
          if (ok) {
            expect(near.selection).toEqual(canonical);
            expect(near.changes).toEqual([]);
          }
        }
      }),
      { numRuns: Math.ceil(runs.numRuns / 2) },
    );
  });
});
