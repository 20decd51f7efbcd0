import { z } from 'zod';
import { isCountryCode } from './countries';

/**
 * The catalog file formats. Everything a shop sells is data in `catalog/`:
 * products in `products/*.json`, partners and routing in `partners.json`.
 * These zod schemas check the shape; `load.ts` then checks the meaning
 * (references, duplicates, impossible products) and reports file + JSON path.
 */

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case letters, digits, ".", "_" or "-"')
  .max(64);
// Bounded so every amount fits the engine's 32-bit price tables (a larger one would wrap around).
const minorUnits = z
  .number()
  .int('money is an integer of minor units (cents), not a decimal')
  .min(-1_000_000_000, 'at least -1,000,000,000 minor units')
  .max(1_000_000_000, 'at most 1,000,000,000 minor units');
const optionCode = z
  .string()
  .regex(/^[A-Z0-9./]+$/, 'codes use A-Z, 0-9, "." and "/" (they are printed on tickets)')
  .max(12);

/** A condition on one module: its option is in / not in a set, or a numeric attribute is in bounds. */
export const atomSchema = z
  .object({
    module: id,
    in: z.array(id).min(1).optional(),
    notIn: z.array(id).min(1).optional(),
    attr: z.string().min(1).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    /** For a text module: whether any text was entered. */
    present: z.boolean().optional(),
  })
  .strict()
  .refine(
    (a) => a.in || a.notIn || a.attr !== undefined || a.present !== undefined,
    'a condition needs "in", "notIn", "attr" with "min"/"max", or "present"',
  )
  .refine((a) => a.attr === undefined || a.min !== undefined || a.max !== undefined, {
    message: 'a condition on an attribute needs "min" and/or "max"',
  });
export type Atom = z.infer<typeof atomSchema>;

export const optionSchema = z
  .object({
    id,
    label: z.string().min(1).max(80),
    code: optionCode,
    price: minorUnits.optional(),
    attrs: z.record(z.string(), z.number()).optional(),
    description: z.string().max(400).optional(),
    /** A CSS colour for swatches (fabric, wash). */
    swatch: z.string().max(32).optional(),
  })
  .strict();
export type OptionDef = z.infer<typeof optionSchema>;

const axisSchema = z
  .object({
    attr: z.string().min(1),
    from: z.number().optional(),
    to: z.number().optional(),
    step: z.number().positive().optional(),
    values: z.array(z.number()).min(1).optional(),
  })
  .strict()
  .refine((a) => a.values || (a.from !== undefined && a.to !== undefined && a.step !== undefined), {
    message: 'an axis needs "values" or "from", "to" and "step"',
  });

/** Options generated from a grid of numeric axes, so 227 sizes are not typed by hand. */
export const generatorSchema = z
  .object({
    axes: z.array(axisSchema).min(1).max(4),
    derived: z
      .array(z.object({ attr: z.string().min(1), sum: z.array(z.string().min(1)).min(1) }).strict())
      .optional(),
    exclude: z
      .array(
        z
          .object({
            where: z.record(z.string(), z.object({ min: z.number().optional(), max: z.number().optional() })),
            why: z.string().min(1),
          })
          .strict(),
      )
      .optional(),
    /** Templates: `{attr}` is replaced by the attribute's value. */
    id: z.string().min(1),
    label: z.string().min(1),
    code: z.string().min(1),
  })
  .strict();
export type GeneratorDef = z.infer<typeof generatorSchema>;

export const choiceModuleSchema = z
  .object({
    id,
    label: z.string().min(1).max(60),
    kind: z.literal('choice'),
    required: z.literal(true).optional(),
    description: z.string().max(400).optional(),
    /** How the shop draws it: a list, swatches, or a stepped picker for ordered sizes. */
    display: z.enum(['list', 'swatch', 'size']).optional(),
    default: id.optional(),
    options: z.array(optionSchema).min(1).optional(),
    generate: generatorSchema.optional(),
  })
  .strict()
  .refine((m) => !!m.options !== !!m.generate, {
    message: 'a choice module has either "options" or "generate", not both and not neither',
  });

export const textModuleSchema = z
  .object({
    id,
    label: z.string().min(1).max(60),
    kind: z.literal('text'),
    required: z.boolean().optional(),
    description: z.string().max(400).optional(),
    pattern: z.string().min(1),
    maxLength: z.number().int().positive().max(200),
    price: minorUnits.optional(),
    placeholder: z.string().max(60).optional(),
  })
  .strict();

export const moduleSchema = z.discriminatedUnion('kind', [choiceModuleSchema, textModuleSchema]);
export type ChoiceModuleDef = z.infer<typeof choiceModuleSchema>;
export type TextModuleDef = z.infer<typeof textModuleSchema>;
export type ModuleDef = z.infer<typeof moduleSchema>;

const ruleBase = {
  id,
  message: z.string().min(1).max(300),
  when: z.array(atomSchema).default([]),
};
export const ruleSchema = z.discriminatedUnion('kind', [
  /** When every `when` holds, none of the `then` conditions may hold. */
  z.object({ ...ruleBase, kind: z.literal('exclude'), then: z.array(atomSchema).min(1) }).strict(),
  /** When every `when` holds, at least one of the `then` conditions must hold. */
  z.object({ ...ruleBase, kind: z.literal('require'), then: z.array(atomSchema).min(1) }).strict(),
  /** When every `when` holds, add `amount` (may be negative) with `label`. */
  z
    .object({ ...ruleBase, kind: z.literal('price'), label: z.string().min(1).max(80), amount: minorUnits })
    .strict(),
]);
export type RuleDef = z.infer<typeof ruleSchema>;

const measurementSchema = z
  .object({ id, label: z.string().min(1), min: z.number().positive(), max: z.number().positive() })
  .strict();
export const sizingSchema = z
  .object({
    /** Body measurements asked for, in inches; centimetres are converted. */
    measurements: z.array(measurementSchema).min(1),
    targets: z
      .array(
        z
          .object({
            module: id,
            match: z
              .array(
                z
                  .object({
                    attr: z.string().min(1),
                    measurement: id,
                    /** Fixed ease in inches added to the body measurement. */
                    ease: z.number().optional(),
                    /** Ease taken from an attribute of the option chosen in another module (a fit). */
                    easeFrom: z
                      .object({ module: id, attr: z.string().min(1) })
                      .strict()
                      .optional(),
                  })
                  .strict(),
              )
              .min(1),
            /** How far (inches) the best option may be from the target before the body is out of range. */
            tolerance: z.number().nonnegative(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type SizingDef = z.infer<typeof sizingSchema>;

/**
 * How fit feedback maps onto the product: each area asks "too tight / right / too loose" (or
 * too short / too long) and moves a module either along a numeric attribute by `step` or along
 * an ordered list of options (slim → straight → relaxed).
 */
export const fitFeedbackSchema = z
  .object({
    areas: z
      .array(
        z
          .object({
            id,
            label: z.string().min(1).max(60),
            question: z.string().max(200).optional(),
            scale: z.enum(['tightness', 'length']),
            adjust: z.union([
              z.object({ module: id, attr: z.string().min(1), step: z.number().positive() }).strict(),
              z.object({ module: id, order: z.array(id).min(2) }).strict(),
            ]),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type FitFeedbackDef = z.infer<typeof fitFeedbackSchema>;

export const productSchema = z
  .object({
    id,
    name: z.string().min(1).max(80),
    description: z.string().max(1000).optional(),
    version: z.string().regex(/^\d{4}\.\d{1,2}\.\d+$/, 'a catalog version looks like 2026.11.0'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
    basePrice: minorUnits.nonnegative(),
    codePrefix: optionCode,
    modules: z.array(moduleSchema).min(1).max(64),
    rules: z.array(ruleSchema).default([]),
    sizing: sizingSchema.optional(),
    fitFeedback: fitFeedbackSchema.optional(),
  })
  .strict();
/** A product as written in `catalog/products/*.json` (generators not yet expanded). */
export type ProductInput = z.input<typeof productSchema>;
export type ProductSource = z.infer<typeof productSchema>;

/** Codes people write for a country that ISO assigns another code (a shape check let them through). */
const COUNTRY_HINTS: Record<string, string> = { UK: 'the United Kingdom is GB', EL: 'Greece is GR' };
const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, { message: 'an ISO 3166-1 alpha-2 code in upper case, such as DE', abort: true })
  .refine(isCountryCode, {
    error: (issue) => {
      const code = String(issue.input);
      const hint = COUNTRY_HINTS[code];
      return `"${code}" is not an assigned ISO 3166-1 alpha-2 code${hint ? ` (${hint})` : ''}`;
    },
  });
export const partnerSchema = z
  .object({
    id,
    name: z.string().min(1).max(80),
    kind: z.enum(['supplier', '3pl']),
    /** The partner's webhook URL; empty until an operator sets it (the sandbox fills it in dev). */
    url: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'a webhook URL starts with http:// or https://')
      .optional(),
    description: z.string().max(400).optional(),
  })
  .strict();
export type PartnerDef = z.infer<typeof partnerSchema>;

export const supplierRouteSchema = z
  .object({
    id,
    partner: id,
    reason: z.string().min(1).max(300),
    products: z.array(id).min(1).optional(),
    when: z.array(atomSchema).optional(),
  })
  .strict();
export const threePlRouteSchema = z
  .object({
    id,
    partner: id,
    reason: z.string().min(1).max(300),
    countries: z.array(countryCode).min(1).optional(),
  })
  .strict();
export const partnersFileSchema = z
  .object({
    partners: z.array(partnerSchema).min(2),
    routing: z
      .object({
        /** First match wins; the last route should have no condition (the default). */
        suppliers: z.array(supplierRouteSchema).min(1),
        threePls: z.array(threePlRouteSchema).min(1),
      })
      .strict(),
  })
  .strict();
export type PartnersFile = z.infer<typeof partnersFileSchema>;
export type SupplierRoute = z.infer<typeof supplierRouteSchema>;
export type ThreePlRoute = z.infer<typeof threePlRouteSchema>;

/** A selection: option id per choice module, text per text module. */
export type Selection = Record<string, string>;
