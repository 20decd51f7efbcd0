import { z } from 'zod';
import { isCountryCode } from '../../catalog/index';
import { weakPasswordReason } from '../services/customers/password-policy';

// The request and response shapes of the public API. Routes parse with them and the OpenAPI
// document is generated from them, so the contract is written once.

/**
 * zod's record skips an own `__proto__` key (assigning it would replace the prototype of the
 * object it builds), so a selection naming it lost that module silently where any other module the
 * product lacks is refused. It is refused here, on the raw body (JSON.parse keeps it as an own key),
 * with the code the engine gives an unknown module. (`constructor` and `prototype` are kept by zod
 * and refused by the engine like any other unknown module.)
 */
function refuseProtoKey(raw: unknown, ctx: z.RefinementCtx): unknown {
  if (raw !== null && typeof raw === 'object' && Object.hasOwn(raw, '__proto__'))
    ctx.addIssue({
      code: 'custom',
      path: ['__proto__'],
      message: '"__proto__" is not a module of any product',
      params: { code: 'unknown_module' },
    });
  return raw;
}

const selectionRecord = z
  .record(z.string().min(1).max(64), z.string().max(200, 'an option id or text is at most 200 characters'))
  .refine((s) => Object.keys(s).length <= 64, 'a selection names at most 64 modules')
  .meta({
    id: 'Selection',
    description: '`{ [moduleId]: optionId | text }`; free-text modules (a monogram) take a string.',
    example: {
      size: 'w34-h42',
      inseam: 'l32',
      fit: 'straight',
      rise: 'mid',
      fabric: 'classic-12',
      stretch: 'none',
      wash: 'rinse',
      hem: 'standard',
    },
  });

export const selectionSchema = z.preprocess(refuseProtoKey, selectionRecord);
/** A selection that may be left out (`{}`); the default sits inside, where zod's JSON Schema keeps it. */
const selectionOrEmptySchema = z.preprocess(refuseProtoKey, selectionRecord.default({}));

const calendarDay = z.iso.date();
/** The time after the day: hh:mm, seconds and fractions optional, `Z` or ±hh:mm optional. */
const timeOfDay =
  /^T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?$/;

/**
 * A date query parameter: an ISO 8601 date (`2026-11-23`, midnight UTC) or date-time
 * (`2026-11-23T10:00Z`, `2026-11-23T10:00:00.5+02:00`; without an offset it is read as UTC,
 * whatever the server's time zone), read as epoch ms. Only real dates: `Date.parse` alone took
 * `1` as the year 2001 and `2026-02-30` as 2 March.
 */
export const isoDateParam = z
  .string()
  .max(40)
  .refine(
    (s) => calendarDay.safeParse(s.slice(0, 10)).success && (s.length === 10 || timeOfDay.test(s.slice(10))),
    'an ISO 8601 date (2026-11-23) or date-time (2026-11-23T10:00:00Z)',
  )
  .transform((s) => Date.parse(s.length === 10 || /(?:Z|[+-]\d\d:\d\d)$/.test(s) ? s : `${s}Z`));

export const productIdSchema = z.string().min(1).max(64);

export const configureRequestSchema = z
  .object({ productId: productIdSchema, selection: selectionOrEmptySchema })
  .meta({ id: 'ConfigureRequest' });

export const quoteRequestSchema = z
  .object({ productId: productIdSchema, selection: selectionSchema })
  .meta({ id: 'QuoteRequest' });

export const priceSchema = z
  .object({
    currency: z.string().meta({ description: 'ISO 4217' }),
    total: z.number().int().meta({ description: 'integer minor units' }),
    lines: z.array(
      z.object({
        label: z.string(),
        amount: z.number().int(),
        module: z.string().optional(),
        rule: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'Price' });

export const fieldErrorSchema = z
  .object({
    path: z.string(),
    code: z.string(),
    message: z.string(),
    rule: z.string().optional().meta({ description: 'A broken catalog rule (`code: rule`): its id' }),
    modules: z
      .array(z.string())
      .optional()
      .meta({ description: 'A broken catalog rule: every module it involves; changing any one resolves it' }),
  })
  .meta({ id: 'FieldError' });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    errors: z.array(fieldErrorSchema).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });

export const configureResponseSchema = z
  .object({
    productId: z.string(),
    catalogVersion: z.string(),
    complete: z.boolean(),
    valid: z.boolean(),
    count: z.union([z.number().int(), z.string().regex(/^\d+$/)]).meta({
      description: 'Valid completions of the selection; a decimal string above 2^53-1.',
    }),
    modules: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(['choice', 'text']),
        available: z.boolean().optional(),
        reasons: z.array(z.string()).optional(),
        options: z.array(
          z.object({
            id: z.string(),
            available: z.boolean(),
            reasons: z.array(z.string()).optional(),
            change: z.array(z.string()).optional(),
          }),
        ),
      }),
    ),
    errors: z.array(fieldErrorSchema).meta({
      description:
        'What is wrong so far (missing modules aside, see `missing`): `path` is always a module id. Choices that cannot be combined are named by each rule that rules them out, at the chosen module it is about.',
    }),
    missing: z
      .array(z.string())
      .meta({ description: 'Required modules not chosen yet, in the product’s order (empty when complete)' }),
    price: priceSchema.optional(),
    specCode: z.string().optional(),
  })
  .meta({ id: 'ConfigureResponse' });

const optionSnapshotSchema = z.object({ moduleId: z.string(), optionId: z.string(), label: z.string() });

export const quoteResponseSchema = z
  .object({
    valid: z.literal(true),
    productId: z.string(),
    catalogVersion: z.string(),
    specCode: z.string(),
    price: priceSchema,
    options: z.array(optionSnapshotSchema).meta({ description: 'Every choice, by name, in module order' }),
  })
  .meta({ id: 'Quote' });

export const productSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    currency: z.string(),
    basePrice: z.number().int(),
    catalogVersion: z.string(),
    configurations: z.string().meta({ description: 'number of valid configurations (decimal string)' }),
  })
  .meta({ id: 'ProductSummary' });

/** As the catalog file writes it (docs/catalog.md): kept open, the file format says what's inside. */
const asInCatalog = (what: string) => z.record(z.string(), z.unknown()).meta({ description: what });

const ruleCondition = z
  .object({
    module: z.string(),
    in: z.array(z.string()).optional(),
    notIn: z.array(z.string()).optional(),
    attr: z.string().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    present: z.boolean().optional().meta({ description: 'A text module: whether any text was given' }),
  })
  .meta({
    description: 'A condition on one module: its option in / not in a set, or an attribute in bounds',
  });

const ruleDoc = z
  .object({
    id: z.string(),
    kind: z.enum(['require', 'exclude', 'price']).meta({
      description:
        'When every `when` holds: `require` at least one `then`, `exclude` every `then`, `price` adds `amount` as `label`',
    }),
    message: z.string().meta({ description: 'What the shopper is told when the rule blocks a choice' }),
    when: z.array(ruleCondition),
    then: z.array(ruleCondition).optional(),
    label: z.string().optional(),
    amount: z.number().int().optional(),
  })
  .meta({ id: 'CatalogRule' });

export const productSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    version: z.string().meta({ description: "The product's catalog version (same as `catalogVersion`)" }),
    currency: z.string(),
    basePrice: z.number().int(),
    codePrefix: z.string().meta({ description: 'First segment of every spec code of this product' }),
    catalogVersion: z.string(),
    modules: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        kind: z.enum(['choice', 'text']),
        required: z.boolean(),
        description: z.string().optional(),
        display: z
          .enum(['list', 'swatch', 'size'])
          .optional()
          .meta({ description: 'How the shop draws it: a list, swatches, or a stepped size picker' }),
        default: z.string().optional().meta({ description: 'The option a new configuration starts with' }),
        generated: z
          .boolean()
          .optional()
          .meta({ description: 'Options generated from a grid of attributes (the sizes), all listed here' }),
        options: z
          .array(
            z
              .object({
                id: z.string(),
                label: z.string(),
                code: z.string().meta({ description: "The option's segment of the spec code" }),
                price: z
                  .number()
                  .int()
                  .optional()
                  .meta({ description: 'Added to the base price (minor units)' }),
                attrs: z
                  .record(z.string(), z.number())
                  .optional()
                  .meta({ description: 'Numeric attributes rules and sizing read (waist, inseam, …)' }),
                description: z.string().optional(),
                swatch: z.string().optional().meta({ description: 'A CSS colour for the swatch' }),
              })
              .passthrough(),
          )
          .optional(),
        pattern: z.string().optional(),
        maxLength: z.number().int().optional(),
        price: z.number().int().optional().meta({ description: 'A text module: added when text is given' }),
        placeholder: z.string().optional(),
      }),
    ),
    rules: z.array(ruleDoc),
    sizing: asInCatalog(
      'Body measurements asked by "Find my size" and how they map to size options',
    ).optional(),
    fitFeedback: asInCatalog(
      'The fit questions asked after delivery and the module each one adjusts',
    ).optional(),
  })
  .passthrough()
  .meta({ id: 'Product', description: 'The expanded product definition the configurator runs on.' });

// ── customers ───────────────────────────────────────────────────────────────

// Internationalised addresses (a Unicode local part or domain) are real; only the shape is checked.
/**
 * One line of text a person typed (a name, an address line): trimmed, and without control
 * characters or line separators, which would end up in shipping labels, partner webhooks and
 * CSV exports as broken lines or invisible bytes.
 */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
/**
 * A lone UTF-16 surrogate (`"\ud800"` in the JSON) is no character at all: it cannot be written
 * as UTF-8, so it reached the 3PL's webhook as an escape that strict JSON parsers (serde, Jackson
 * in strict mode) refuse, and the delivery failed at every retry.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATE_MESSAGE = 'not valid Unicode text (a lone surrogate escape such as \\ud800)';
export const singleLine = (max: number, emptyMessage?: string) =>
  z
    .string()
    .trim()
    .min(1, emptyMessage)
    .max(max)
    .refine((v) => !CONTROL.test(v), 'no line breaks, tabs or other control characters')
    .refine((v) => !LONE_SURROGATE.test(v), LONE_SURROGATE_MESSAGE);

const email = z
  .string()
  .trim()
  .max(254)
  .regex(/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/u, 'not an email address');

export const registerRequestSchema = z
  .object({
    email,
    password: z
      .string()
      .min(10, 'use at least 10 characters')
      .max(256, 'at most 256 characters')
      .refine((p) => p.trim().length > 0, 'a password of only spaces is too easy to guess'),
    name: singleLine(120, 'tell us your name'),
  })
  .superRefine((body, ctx) => {
    const why = weakPasswordReason(body.password, body);
    if (why)
      ctx.addIssue({
        code: 'custom',
        path: ['password'],
        params: { code: 'weak_password' },
        message: `too easy to guess: ${why}`,
      });
  })
  .meta({ id: 'RegisterRequest' });

export const loginRequestSchema = z
  .object({ email: z.string().max(254), password: z.string().max(256) })
  .meta({ id: 'LoginRequest' });

export const customerSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string() })
  .meta({ id: 'Customer' });

// ── specs ───────────────────────────────────────────────────────────────────

const MAX_CM = 300;

export const measurementsSchema = z
  .object({
    unit: z.enum(['in', 'cm']),
    values: z
      .record(z.string().min(1).max(32), z.number().positive().max(1000))
      .refine((v) => Object.keys(v).length <= 32, 'at most 32 measurements'),
  })
  .superRefine((m, ctx) => {
    // Nothing on a body measures more than this (a height of 2.72 m is the record).
    const max = m.unit === 'cm' ? MAX_CM : MAX_CM / 2.54;
    for (const [k, v] of Object.entries(m.values))
      if (v > max)
        ctx.addIssue({
          code: 'too_big',
          origin: 'number',
          maximum: Math.floor(max),
          inclusive: true,
          path: ['values', k],
          message: `at most ${Math.floor(max)} ${m.unit}: no body measurement is larger`,
        });
  })
  .meta({ id: 'Measurements', example: { unit: 'in', values: { waist: 33, hip: 41, inseam: 32 } } });

const specName = singleLine(120, 'give the spec a name');

export const specCreateSchema = z
  .object({
    name: specName,
    productId: productIdSchema,
    selection: selectionSchema,
    measurements: measurementsSchema.nullish(),
  })
  .meta({ id: 'SpecCreate' });

export const specPatchSchema = z
  .object({
    name: specName.optional(),
    // Accepted so a spec read with GET can be sent back whole; a spec's product never changes
    // (422 when it differs: save a new spec instead).
    productId: productIdSchema.optional().meta({
      description: 'The spec’s own product (as read with GET); any other is 422 `immutable`',
    }),
    selection: selectionSchema.optional(),
    measurements: measurementsSchema.nullish(),
  })
  .meta({ id: 'SpecPatch' });

/** One module changed to reach a valid configuration (nearestValid, a fit proposal), and why. */
const moduleChangeSchema = z
  .object({
    module: z.string(),
    from: z.string().optional(),
    fromLabel: z.string().optional(),
    to: z.string().optional(),
    toLabel: z.string().optional(),
    why: z.enum([
      'retired',
      'conflict',
      'new_module',
      'module_retired',
      'text_invalid',
      'text_required',
      'adjusted',
    ]),
  })
  .meta({ id: 'ModuleChange' });

export const specSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    productId: z.string(),
    selection: selectionSchema,
    specCode: z.string(),
    measurements: measurementsSchema.optional(),
    catalogVersion: z.string(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    validity: z
      .object({
        valid: z.boolean().meta({ description: 'Whether today’s catalog still makes the spec as saved' }),
        catalogVersion: z
          .string()
          .nullable()
          .meta({ description: 'Today’s version (null: product retired)' }),
        productAvailable: z.boolean(),
        errors: z.array(fieldErrorSchema).meta({ description: 'What today’s catalog refuses, by module' }),
        changes: z
          .array(moduleChangeSchema)
          .meta({ description: 'Each module the nearest valid alternative changes, and why' }),
        alternative: z
          .object({
            complete: z
              .boolean()
              .meta({ description: 'False when the rules now ask for text only the customer can type' }),
            selection: selectionSchema,
            specCode: z.string(),
            options: z.array(optionSnapshotSchema),
          })
          .optional()
          .meta({ description: 'The nearest configuration today’s catalog makes (when not valid)' }),
      })
      .optional()
      .meta({ description: 'GET /api/specs/{specId} only: the spec against today’s catalog' }),
  })
  .meta({ id: 'Spec' });

export const specVersionSchema = z
  .object({
    version: z.number().int(),
    name: z.string(),
    selection: selectionSchema,
    specCode: z.string(),
    measurements: measurementsSchema.optional(),
    catalogVersion: z.string().meta({ description: 'The catalog version this version was made with' }),
    createdAt: z.string(),
  })
  .meta({ id: 'SpecVersion' });

// ── orders ──────────────────────────────────────────────────────────────────

export const MAX_ORDER_LINES = 100;
export const MAX_QUANTITY = 100;

// Range first, and a number out of range stops there: checked the other way round, 1e20 was
// answered "a whole number" (zod's int() also refuses integers beyond 2^53), which it is.
const quantity = z
  .number()
  .min(1, { message: 'at least 1', abort: true })
  .max(MAX_QUANTITY, { message: `at most ${MAX_QUANTITY} of one line`, abort: true })
  .int('a whole number');

export const orderLineInputSchema = z
  .union([
    z.object({
      productId: productIdSchema,
      selection: selectionSchema,
      quantity,
      measurements: measurementsSchema.optional(),
    }),
    z.object({ specId: z.string().min(1).max(64), quantity }),
  ])
  .meta({
    id: 'OrderLineInput',
    description:
      'A product with a selection (and optionally the body measurements the supplier cuts to: a reorder draft repairing a spec line keeps them), or a saved spec (its selection and measurements are used). A line naming both `specId` and `productId` or `selection` is 422 (`errors[].code: ambiguous_line`).',
  });

/**
 * An optional address line: null or blank means absent, so the order and the 3PL's webhook carry
 * `line2?`/`region?` as CONTRACT.md shows them, never null or "".
 */
const optionalLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !CONTROL.test(v), 'no line breaks, tabs or other control characters')
    .refine((v) => !LONE_SURROGATE.test(v), LONE_SURROGATE_MESSAGE)
    .nullish()
    .transform((v) => v || undefined)
    .meta({ description: 'null or blank: left out of the order' });

export const shipToSchema = z
  .object({
    name: singleLine(120),
    line1: singleLine(200),
    line2: optionalLine(200),
    city: singleLine(120),
    region: optionalLine(120),
    postalCode: singleLine(32),
    country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, { message: 'an ISO 3166-1 alpha-2 code such as US or DE', abort: true })
      .refine((s) => isCountryCode(s.toUpperCase()), {
        message: 'not an assigned ISO 3166-1 alpha-2 country code (the United Kingdom is GB)',
      })
      .transform((s) => s.toUpperCase())
      .meta({
        description:
          'An assigned ISO 3166-1 alpha-2 code, any case (stored and answered upper case), or XK for Kosovo. Codes that are not assigned (`UK`, `EU`, `ZZ`) are 422.',
      }),
  })
  .meta({ id: 'ShipTo' });

export const orderRequestSchema = z
  .object({
    lines: z
      .array(orderLineInputSchema)
      .min(1, 'an order needs at least one line')
      .max(MAX_ORDER_LINES, `an order has at most ${MAX_ORDER_LINES} lines`),
    shipTo: shipToSchema,
  })
  .meta({ id: 'OrderRequest' });

export const orderSchema = z
  .object({
    id: z.string(),
    status: z.enum(['placed', 'in_production', 'produced', 'shipped', 'delivered', 'cancelled', 'rejected']),
    currency: z.string(),
    total: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    catalogVersion: z.string(),
    lines: z.array(
      z.object({
        id: z.string(),
        productId: z.string(),
        productName: z.string().optional().meta({
          description:
            'The product’s name when it was ordered; a later rename or retirement does not change it (absent on orders placed before it was recorded)',
        }),
        selection: selectionSchema,
        specCode: z.string(),
        specId: z.string().optional(),
        quantity: z.number().int(),
        unitPrice: z.number().int(),
        lineTotal: z.number().int(),
        supplierId: z.string(),
        status: z.string(),
        options: z.array(optionSnapshotSchema),
        productVersion: z
          .string()
          .meta({ description: 'The catalog version of the product it was ordered under' }),
        measurements: measurementsSchema.optional().meta({
          description: 'The body measurements the supplier cuts to (from the spec or the line), when given',
        }),
        price: priceSchema.shape.lines.meta({ description: 'How the unit price was made up' }),
        routing: z
          .object({ routeId: z.string(), reason: z.string() })
          .meta({ description: 'The supplier route that chose `supplierId`, and why' }),
      }),
    ),
    shipTo: shipToSchema,
    threePlId: z.string(),
    threePlRouting: z
      .object({ routeId: z.string(), reason: z.string() })
      .meta({ description: 'The 3PL route that chose `threePlId`, and why' }),
    events: z.array(
      z.object({
        status: z.string(),
        at: z.string(),
        detail: z.string().optional(),
        source: z
          .string()
          .meta({ description: 'Who moved it: `customer`, `operator`, `system` or `partner:{partnerId}`' }),
        lineIds: z.array(z.string()).optional(),
      }),
    ),
    shipments: z.array(
      z.object({
        carrier: z.string(),
        trackingNumber: z.string(),
        trackingUrl: z.string().optional(),
        at: z.string(),
      }),
    ),
  })
  .meta({ id: 'Order' });

const draftSide = z.object({
  selection: selectionSchema,
  specCode: z.string(),
  options: z.array(optionSnapshotSchema),
});

export const reorderDraftSchema = z
  .object({
    source: z
      .record(z.string(), z.string())
      .meta({ description: 'What it was made from: `{ orderId }` or `{ specId }`' }),
    catalogVersion: z
      .string()
      .meta({ description: 'Today’s catalog version, which the draft is checked against' }),
    currency: z.string().nullable(),
    totalThen: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Every line at the price paid then (null when a price was not recorded)' }),
    totalNow: z.number().int().meta({ description: 'The lines in `orderRequest` at today’s prices' }),
    lines: z.array(
      z.object({
        productId: z.string(),
        quantity: z.number().int(),
        specId: z.string().optional(),
        specVersion: z.number().int().optional(),
        orderable: z.boolean().meta({
          description: 'In `orderRequest`: false when the product is gone or text must be typed first',
        }),
        changed: z.boolean().meta({ description: 'Today’s catalog does not make it as it was' }),
        orderBySpec: z.boolean().meta({ description: 'Ordered by its spec id (the spec still stands)' }),
        measurements: measurementsSchema.optional(),
        then: draftSide.extend({ unitPrice: z.number().int().nullable() }),
        now: draftSide
          .extend({ unitPrice: z.number().int(), price: priceSchema })
          .nullable()
          .meta({ description: 'Null when the product is no longer sold' }),
        changes: z.array(moduleChangeSchema).meta({
          description: 'Each module changed to reach `now`, and why (a retired option, a new rule, …)',
        }),
        errors: z.array(fieldErrorSchema),
      }),
    ),
    orderRequest: z
      .object({ lines: z.array(z.record(z.string(), z.unknown())), shipTo: shipToSchema.optional() })
      .meta({
        description: 'POST it to /api/orders (with an Idempotency-Key) to buy; `shipTo` from the order',
      }),
  })
  .meta({ id: 'ReorderDraft' });

export const reorderRequestSchema = z
  .union([z.object({ orderId: z.string().min(1).max(64) }), z.object({ specId: z.string().min(1).max(64) })])
  .meta({ id: 'ReorderRequest' });

// ── operators: partners and deliveries (CONTRACT "Partners and routing") ────

export const partnerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['supplier', '3pl']),
    url: z.string().nullable().meta({ description: 'Where its webhooks go; null: none set yet' }),
    enabled: z.boolean(),
    disabledReason: z
      .string()
      .nullable()
      .meta({ description: 'Why it is disabled (a 410 answer, an operator)' }),
    previousSecretExpiresAt: z
      .string()
      .nullable()
      .meta({ description: 'Until then deliveries are signed with the previous secret too (rotation)' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Partner', description: 'A supplier or 3PL; its secrets are never shown here.' });

export const deliverySchema = z
  .object({
    id: z.string().meta({ description: 'The `webhook-id` every attempt of this message carries' }),
    partnerId: z.string(),
    eventType: z.string(),
    orderId: z.string().nullable(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().optional(),
    lastError: z.string().optional(),
    nextAttemptAt: z.string().optional().meta({ description: 'While pending' }),
    createdAt: z.string(),
    deliveredAt: z.string().optional(),
  })
  .meta({ id: 'Delivery', description: 'A field with nothing to say is left out, never null.' });

export const deliveryDetailSchema = deliverySchema
  .extend({
    payload: z.unknown().meta({ description: 'The body sent, `{ type, timestamp, data }`, as signed' }),
    attemptLog: z.array(
      z.object({
        attempt: z.number().int(),
        at: z.string(),
        url: z.string().nullable(),
        durationMs: z.number(),
        statusCode: z.number().int().nullable(),
        error: z.string().nullable(),
        responseSnippet: z.string().nullable(),
        outcome: z.string(),
      }),
    ),
  })
  .meta({ id: 'DeliveryDetail' });

export const inboundEventSchema = z
  .object({
    id: z.number().int(),
    partnerId: z.string(),
    webhookId: z.string(),
    eventType: z.string(),
    orderId: z.string().nullable(),
    receivedAt: z.string(),
    outcome: z.string().meta({ description: '`applied`, `ignored` (would move the order backwards), …' }),
    detail: z.string().nullable(),
    payload: z.unknown(),
  })
  .meta({ id: 'InboundEvent' });

// ── the learning loop: fit feedback, remakes, complaints (server/services/feedback, remakes, complaints) ──

const fitAnswer = z.enum(['too_tight', 'right', 'too_loose', 'too_short', 'too_long']);

const proposalSide = z.object({
  selection: selectionSchema,
  specCode: z.string(),
  options: z.array(optionSnapshotSchema),
});

export const fitProposalSchema = z
  .object({
    before: proposalSide.meta({ description: 'The line as it was bought' }),
    after: proposalSide
      .extend({
        unitPrice: z.number().int().meta({ description: 'Today’s unit price of `after`, in minor units' }),
        currency: z.string(),
      })
      .meta({ description: 'The adjusted configuration: always valid and complete in today’s catalog' }),
    changes: z.array(moduleChangeSchema).meta({ description: 'Each module the proposal changes' }),
    summary: z.array(z.string()).meta({ description: 'The adjustment in words, one line each' }),
    unchanged: z
      .boolean()
      .meta({ description: 'Nothing could be adjusted (the decision is then `none`, not `pending`)' }),
  })
  .meta({ id: 'FitProposal', description: 'The engine’s adjustment for fit answers that are off.' });

export const fitFeedbackSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    lineId: z.string(),
    productId: z.string(),
    specId: z.string().optional().meta({ description: 'The saved spec the line was ordered from, if any' }),
    specVersion: z
      .number()
      .int()
      .optional()
      .meta({ description: 'That spec’s version when the feedback was given' }),
    answers: z.record(z.string(), fitAnswer).meta({ description: 'Answer per fit area id' }),
    verdict: z.enum(['right', 'adjust']).meta({ description: '`right` when every answer is `right`' }),
    comment: z.string().optional(),
    proposal: fitProposalSchema.nullable().meta({ description: 'Null when everything fits' }),
    decision: z
      .enum(['none', 'pending', 'accepted', 'declined'])
      .meta({ description: '`none`: nothing to decide; `pending`: waiting for accept or decline' }),
    decidedAt: z.string().optional(),
    resultSpec: z
      .object({ id: z.string(), version: z.number().int() })
      .optional()
      .meta({ description: 'Once accepted: the spec version the proposal became' }),
    createdAt: z.string(),
  })
  .meta({
    id: 'FitFeedback',
    description: 'Fit feedback on one delivered line. A field with nothing to say is left out.',
  });

export const fitQuestionsSchema = z
  .object({
    orderId: z.string(),
    status: z.string().meta({ description: 'The order’s status' }),
    open: z.boolean().meta({ description: 'Feedback can be given (the order is delivered)' }),
    lines: z.array(
      z.object({
        lineId: z.string(),
        productId: z.string(),
        specCode: z.string(),
        areas: z
          .array(
            z.object({
              id: z.string(),
              label: z.string(),
              question: z.string(),
              scale: z.enum(['tightness', 'length']),
              answers: z.array(fitAnswer).meta({ description: 'The answers this area takes' }),
            }),
          )
          .meta({ description: 'The fit questions of the product (empty when it is no longer sold)' }),
        feedback: fitFeedbackSchema.nullable().meta({ description: 'Null until feedback is given' }),
      }),
    ),
  })
  .meta({ id: 'FitQuestions' });

export const feedbackAcceptedSchema = z
  .object({
    spec: specSchema.meta({ description: 'The new spec version (or the new spec)' }),
    feedback: fitFeedbackSchema,
    reorder: reorderDraftSchema.meta({ description: 'The draft that orders the adjusted spec' }),
  })
  .meta({ id: 'FeedbackAccepted' });

export const remakeAllowanceSchema = z
  .object({
    used: z.number().int().meta({ description: 'Remakes of this product made or under way' }),
    limit: z.number().int().meta({ description: 'Remakes the policy allows per product and customer' }),
    remaining: z.number().int(),
  })
  .meta({ id: 'RemakeAllowance' });

export const remakeSchema = z
  .object({
    id: z.string(),
    parentOrderId: z.string().meta({ description: 'The delivered order remade' }),
    parentLineId: z.string(),
    childOrderId: z.string().meta({ description: 'The remake’s own order, at no charge' }),
    productId: z.string(),
    supplierId: z.string(),
    reason: z.enum(['fit', 'defect', 'other']),
    detail: z.string().optional(),
    feedbackId: z
      .string()
      .optional()
      .meta({ description: 'The accepted fit feedback the remake is made to, if any' }),
    createdAt: z.string(),
  })
  .meta({ id: 'Remake' });

export const remakeCreatedSchema = z
  .object({
    remake: remakeSchema,
    order: orderSchema.meta({ description: 'The remake’s order' }),
    allowance: remakeAllowanceSchema.meta({ description: 'What is left after this remake' }),
  })
  .meta({ id: 'RemakeCreated' });

export const orderRemakesSchema = z
  .object({
    remakeOf: remakeSchema.nullable().meta({ description: 'When this order is itself a remake: of what' }),
    remakes: z.array(remakeSchema).meta({ description: 'Remakes of this order, newest first' }),
  })
  .meta({ id: 'OrderRemakes' });

const complaintFields = {
  id: z.string(),
  orderId: z.string(),
  category: z.enum(['damaged', 'late', 'wrong_item', 'fit', 'quality', 'billing', 'question', 'other']),
  status: z.enum(['open', 'resolved']),
  message: z.string().meta({ description: 'The first message' }),
  contacts: z.number().int().meta({ description: 'How many times the customer wrote' }),
  resolution: z.string().optional().meta({ description: 'While resolved' }),
  resolvedAt: z.string().optional(),
  resolvedAtFirstContact: z.boolean().meta({ description: 'Resolved with one customer contact' }),
  createdAt: z.string(),
  updatedAt: z.string(),
};

const complaintMessage = z.object({
  author: z.enum(['customer', 'operator']),
  body: z.string(),
  at: z.string(),
});

export const complaintSchema = z
  .object(complaintFields)
  .meta({ id: 'Complaint', description: 'A complaint or question about an order, as listed.' });

export const complaintDetailSchema = z
  .object({ ...complaintFields, messages: z.array(complaintMessage).meta({ description: 'Oldest first' }) })
  .meta({ id: 'ComplaintDetail', description: 'A complaint with its conversation.' });

export const adminComplaintSchema = z
  .object({
    ...complaintFields,
    customer: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  })
  .meta({ id: 'AdminComplaint', description: 'A complaint as the operator lists it, with its customer.' });

export const adminComplaintDetailSchema = z
  .object({
    ...complaintFields,
    messages: z.array(complaintMessage).meta({ description: 'Oldest first' }),
    customerId: z.string(),
  })
  .meta({ id: 'AdminComplaintDetail' });

// ── the operations console: orders and customers (server/services/insights) ────

const customerRef = z.object({ id: z.string(), name: z.string(), email: z.string() });
const level = z.enum(['high', 'medium', 'low']);

export const adminOrderSummarySchema = z
  .object({
    id: z.string(),
    status: z.string(),
    currency: z.string(),
    total: z.number().int().meta({ description: 'Minor units (0 for a remake)' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    customer: customerRef,
    lines: z.number().int().meta({ description: 'How many lines' }),
    suppliers: z.array(z.string()).meta({ description: 'The suppliers its lines were routed to' }),
    threePlId: z.string(),
    failedDeliveries: z.number().int().meta({ description: 'Partner deliveries that gave up' }),
    isRemake: z.boolean().meta({ description: 'The order is a remake of another' }),
  })
  .meta({ id: 'AdminOrderSummary', description: 'One order as the operator search lists it.' });

export const adminOrderSearchSchema = z
  .object({
    total: z.number().int().meta({ description: 'Orders matching, before `limit` and `offset`' }),
    items: z.array(adminOrderSummarySchema),
  })
  .meta({ id: 'AdminOrderSearch' });

export const adminOrderDetailSchema = z
  .object({
    order: orderSchema,
    customer: customerRef.nullable(),
    deliveries: z
      .array(
        z.object({
          id: z.string().meta({ description: 'The `webhook-id`' }),
          partnerId: z.string(),
          eventType: z.string(),
          status: z.enum(['pending', 'delivered', 'failed']),
          attempts: z.number().int(),
          lastStatusCode: z.number().int().nullable(),
          lastError: z.string().nullable(),
          nextAttemptAt: z.string().nullable().meta({ description: 'While pending' }),
          createdAt: z.string().nullable(),
          deliveredAt: z.string().nullable(),
          payload: z.unknown().meta({ description: 'The body sent, `{ type, timestamp, data }`' }),
          attemptLog: z.array(
            z.object({
              attempt: z.number().int(),
              startedAt: z.string().nullable(),
              durationMs: z.number().nullable(),
              statusCode: z.number().int().nullable(),
              error: z.string().nullable(),
              outcome: z.string(),
            }),
          ),
        }),
      )
      .meta({ description: 'Webhooks sent to partners about this order, oldest first, with every attempt' }),
    inboundEvents: z
      .array(
        z.object({
          partnerId: z.string(),
          webhookId: z.string(),
          type: z.string(),
          receivedAt: z.string().nullable(),
          outcome: z.string(),
          detail: z.string().optional(),
        }),
      )
      .meta({ description: 'What partners posted about this order, oldest first' }),
    remakeOf: remakeSchema.nullable().meta({ description: 'When this order is itself a remake: of what' }),
    remakes: z.array(remakeSchema),
    feedback: z.array(fitFeedbackSchema),
    complaints: z.array(complaintSchema),
  })
  .meta({ id: 'AdminOrderDetail', description: 'One order with everything that happened to it.' });

export const customerInsightSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    createdAt: z.string(),
    orders: z.number().int().meta({ description: 'Paid orders (not cancelled, rejected or a remake)' }),
    revenue: z.number().int().meta({ description: 'From paid orders, in minor units of `currency`' }),
    lastOrderAt: z.string().nullable(),
    recencyDays: z.number().int().nullable().meta({ description: 'Days since the last paid order' }),
    r: z.number().int().meta({ description: 'Recency score 1–5 (0: no paid order)' }),
    f: z.number().int().meta({ description: 'Frequency score 1–5 (0: no paid order)' }),
    m: z.number().int().meta({ description: 'Monetary score 1–5 (0: no paid order)' }),
    rfm: z.string().meta({ description: 'The three scores together, e.g. `545`' }),
    valueClass: z.enum(['A', 'B', 'C', 'D']),
    volume: level.meta({ description: 'Grid row, from the value class' }),
    satisfaction: level.meta({ description: 'Grid column, from `signals`' }),
    satisfactionScore: z.number().meta({ description: '0..1' }),
    signals: z
      .object({
        feedbackRight: z.number().int(),
        feedbackOff: z.number().int(),
        complaints: z.number().int(),
        openComplaints: z.number().int(),
        remakes: z.number().int(),
      })
      .meta({ description: 'What the customer told us, counted' }),
    treatment: z.string().meta({ description: 'What to do for the grid cell' }),
  })
  .meta({ id: 'CustomerInsight', description: 'A customer with value, RFM and grid placement.' });

export const customerInsightListSchema = z
  .object({
    total: z.number().int().meta({ description: 'Customers matching, before `limit` and `offset`' }),
    currency: z.string(),
    items: z.array(customerInsightSchema),
  })
  .meta({ id: 'CustomerInsightList' });

export const adminCustomerPageSchema = z
  .object({
    customer: customerInsightSchema,
    currency: z.string(),
    gridCell: z.object({ volume: level, satisfaction: level, treatment: z.string() }),
    specs: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        productId: z.string(),
        specCode: z.string(),
        selection: selectionSchema,
        version: z.number().int(),
        updatedAt: z.string(),
        versions: z
          .array(
            z.object({
              version: z.number().int(),
              specCode: z.string(),
              createdAt: z.string(),
              causedBy: z
                .object({ feedbackId: z.string(), orderId: z.string() })
                .optional()
                .meta({ description: 'The accepted fit feedback that made this version' }),
            }),
          )
          .meta({ description: 'Newest first' }),
      }),
    ),
    orders: adminOrderSearchSchema,
    feedback: z.array(fitFeedbackSchema),
    complaints: z.array(complaintSchema),
    remakes: z.array(remakeSchema),
  })
  .meta({ id: 'AdminCustomerPage', description: 'One customer with everything we know.' });

// ── operators: insights (the console's overview pages) ──────────────────────

export const customerInsightsOverviewSchema = z
  .object({
    asOf: z.string(),
    currency: z.string(),
    customers: z.number().int(),
    activeCustomers: z.number().int().meta({ description: 'Customers with at least one paid order' }),
    revenue: z.number().int(),
    classes: z.array(
      z.object({
        valueClass: z.enum(['A', 'B', 'C', 'D']),
        customers: z.number().int(),
        revenue: z.number().int(),
        revenueShare: z.number(),
        averageOrders: z.number(),
      }),
    ),
    pareto: z
      .object({
        topFraction: z.number(),
        topCustomers: z.number().int(),
        topRevenue: z.number().int(),
        topShare: z
          .number()
          .meta({ description: 'Share of revenue from the top `topFraction` of customers' }),
        curve: z.array(z.object({ customerShare: z.number(), revenueShare: z.number() })),
      })
      .meta({ description: 'How concentrated revenue is (the top 20 %), with the curve for the chart' }),
    grid: z
      .array(
        z.object({
          volume: level,
          satisfaction: level,
          strategy: z.string(),
          treatment: z.string(),
          customers: z.number().int(),
          revenue: z.number().int(),
          preview: z.array(
            z.object({ id: z.string(), name: z.string(), revenue: z.number().int(), valueClass: z.string() }),
          ),
        }),
      )
      .meta({ description: 'The nine cells of value × satisfaction, each with its treatment' }),
    levels: z.array(level),
  })
  .meta({ id: 'CustomerInsightsOverview' });

const deliveryWindow = z.object({
  attempts: z.number().int(),
  succeeded: z.number().int(),
  successRate: z.number().nullable().meta({ description: 'Null when there was no attempt' }),
  latencyP50Ms: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
});

export const partnerInsightsSchema = z
  .object({
    asOf: z.string(),
    qualityFrom: z.string().meta({ description: 'Quality counts orders placed since then (`days`)' }),
    partners: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        kind: z.enum(['supplier', '3pl']),
        enabled: z.boolean(),
        disabledReason: z.string().nullable(),
        url: z.string().nullable(),
        failedDeliveries: z.number().int(),
        delivery: z.object({ last24h: deliveryWindow, last7d: deliveryWindow }),
        quality: z
          .object({
            supplierId: z.string(),
            lines: z.number().int(),
            rejected: z.number().int(),
            rejectionRate: z.number(),
            remakes: z.number().int(),
            remakesFit: z.number().int(),
            remakesDefect: z.number().int(),
            remakeRate: z.number(),
            produced: z.number().int(),
            daysToProducedP50: z.number().nullable(),
            daysToProducedP90: z.number().nullable(),
          })
          .nullable()
          .optional()
          .meta({ description: 'Suppliers only (null when it had no line in the window)' }),
      }),
    ),
  })
  .meta({ id: 'PartnerInsights' });

export const serviceInsightsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    days: z.array(
      z.object({
        day: z.string().meta({ description: 'YYYY-MM-DD (UTC)' }),
        feedbackRight: z.number().int(),
        feedbackAdjust: z.number().int(),
        complaints: z.record(z.string(), z.number().int()).meta({ description: 'Complaints by category' }),
      }),
    ),
    categories: z.array(z.string()),
    feedback: z.object({ total: z.number().int(), right: z.number().int(), adjust: z.number().int() }),
    complaints: z.object({
      total: z.number().int(),
      open: z.number().int(),
      resolved: z.number().int(),
      resolvedFirstContact: z.number().int(),
      firstContactResolutionRate: z.number().nullable(),
      byCategory: z.array(
        z.object({
          category: z.string(),
          total: z.number().int(),
          open: z.number().int(),
          resolvedFirstContact: z.number().int(),
        }),
      ),
    }),
    areas: z.array(
      z.object({
        productId: z.string(),
        area: z.string(),
        answers: z.record(z.string(), z.number().int()),
        total: z.number().int(),
      }),
    ),
    modulesAdjusted: z.array(
      z.object({
        productId: z.string(),
        module: z.string(),
        count: z.number().int(),
        topFrom: z.array(z.object({ option: z.string(), count: z.number().int() })),
      }),
    ),
  })
  .meta({ id: 'ServiceInsights' });

// ── operations and partners: small answers ─────────────────────────────────

export const healthSchema = z
  .object({
    status: z.literal('ok'),
    database: z.literal('ok'),
    catalogVersion: z.string(),
    time: z.string(),
  })
  .meta({ id: 'Health' });

export const partnerSecretSchema = z
  .object({
    secret: z.string().meta({ description: '`whsec_` + base64; shown once, hand it to the partner' }),
  })
  .meta({ id: 'PartnerSecret' });

export const inboundAckSchema = z
  .object({
    received: z.literal(true),
    outcome: z.enum(['applied', 'ignored']).meta({
      description:
        '`ignored`: acknowledged and recorded, changing nothing (it would move the order backwards)',
    }),
    duplicate: z.boolean().meta({ description: 'This `webhook-id` was received before: no second effect' }),
    detail: z.string(),
    orderId: z.string(),
    orderStatus: z.string().nullable().meta({ description: 'The order’s status after the event' }),
  })
  .meta({ id: 'InboundAck' });
