import { compile, literalOf } from './engine/compile';
import { availability } from './engine/query';
import type { CompiledProduct, Literal, Product } from './engine/types';
import { validate } from './engine/validate';
import { CatalogError, type CatalogIssue, formatPath } from './errors';
import type { CompiledRouting } from './routing';
import {
  type FitFeedbackDef,
  type PartnersFile,
  type ProductSource,
  partnersFileSchema,
  productSchema,
  type SizingDef,
} from './schema';
import { checkGenerators, slowPatternReason } from './source-checks';

export interface CatalogFile {
  /** Where the data came from, for error messages (e.g. `catalog/products/jeans.json`). */
  file: string;
  data: unknown;
}

export interface Catalog {
  products: Map<string, CompiledProduct>;
  routing: CompiledRouting;
  partners: PartnersFile['partners'];
  /** One version string for the whole catalog: the products' versions, joined. */
  version: string;
  /** Each product's file and its data as read (for the server's check that a version's definition never changes). */
  sources?: Map<string, CatalogFile>;
}

export interface LoadOptions {
  now?: () => number;
}

/**
 * Parses and compiles a whole catalog: every product file and the partners/routing file. Any
 * problem anywhere (shape, references, duplicates, an impossible product, an option no valid
 * configuration can use, a route to an unknown partner) is collected, and all of them are
 * thrown together as one CatalogError naming file, JSON path and reason.
 */
export function loadCatalog(
  input: {
    products: CatalogFile[];
    /** null when the partners file could not be read (the reader says why in `unreadable`). */
    partners: CatalogFile | null;
    /** Files the reader could not read or parse, listed with everything else that is wrong. */
    unreadable?: { issues: CatalogIssue[]; productIds: string[] };
  },
  options: LoadOptions = {},
): Catalog {
  const issues: CatalogIssue[] = [...(input.unreadable?.issues ?? [])];
  const products = new Map<string, CompiledProduct>();
  const prefixes = new Map<string, string>();
  const sources = new Map<string, CatalogFile>();
  // Products whose own file is broken: references to them are not reported a second time.
  const broken = new Set<string>(input.unreadable?.productIds);
  for (const f of input.products) {
    const cp = loadProduct(f, issues, options);
    if (!cp) {
      const id = (f.data as { id?: unknown } | null)?.id;
      if (typeof id === 'string') broken.add(id);
      continue;
    }
    const id = cp.product.id;
    if (products.has(id))
      issues.push({ file: f.file, path: 'id', message: `another file already defines product "${id}"` });
    else if (prefixes.has(cp.product.codePrefix))
      issues.push({
        file: f.file,
        path: 'codePrefix',
        message: `"${cp.product.codePrefix}" is already the code prefix of "${prefixes.get(cp.product.codePrefix)}"`,
      });
    else {
      products.set(id, cp);
      prefixes.set(cp.product.codePrefix, id);
      sources.set(id, f);
    }
  }
  const partners = input.partners ? loadPartners(input.partners, products, broken, issues) : null;
  if (!partners && !issues.length)
    issues.push({ file: 'partners.json', path: '', message: 'no partners file' });
  if (issues.length) throw new CatalogError(issues);
  return {
    products,
    routing: partners!.routing,
    partners: partners!.partners,
    version: [...products.values()].map((p) => `${p.product.id}@${p.product.version}`).join(','),
    sources,
  };
}

/** Parses and compiles one product file; issues are appended, null when it cannot be used. */
export function loadProduct(
  f: CatalogFile,
  issues: CatalogIssue[],
  options: LoadOptions = {},
): CompiledProduct | null {
  const parsed = productSchema.safeParse(f.data);
  if (!parsed.success) {
    for (const i of parsed.error.issues)
      issues.push({ file: f.file, path: formatPath(i.path), message: i.message });
    return null;
  }
  const src = parsed.data;
  const before = issues.length;
  const moduleIds = new Set<string>();
  src.modules.forEach((m, i) => {
    if (moduleIds.has(m.id))
      issues.push({ file: f.file, path: `modules[${i}].id`, message: `duplicate module id "${m.id}"` });
    moduleIds.add(m.id);
  });
  const ruleIds = new Set<string>();
  src.rules.forEach((r, i) => {
    if (ruleIds.has(r.id))
      issues.push({ file: f.file, path: `rules[${i}].id`, message: `duplicate rule id "${r.id}"` });
    ruleIds.add(r.id);
  });
  src.modules.forEach((m, i) => {
    if (m.kind !== 'text') return;
    const why = slowPatternReason(m.pattern);
    if (why)
      issues.push({
        file: f.file,
        path: `modules[${i}].pattern`,
        message: `"${m.pattern}" can take exponential time on some texts (${why}); write it without nesting, e.g. ^[A-Z .]+$`,
      });
  });
  // Generators are checked (and their size counted) before any option is built.
  const beforeGenerators = issues.length;
  checkGenerators(f.file, src, issues);
  if (issues.length > beforeGenerators) return null;
  let cp: CompiledProduct;
  try {
    // Expanded options are checked for duplicates before compiling (a generator can collide too).
    cp = compile(src, options);
  } catch (e) {
    if (e instanceof CatalogError) {
      for (const i of e.issues) issues.push({ ...i, file: f.file });
      return null;
    }
    throw e;
  }
  checkOptions(f.file, cp.product, issues);
  if (issues.length === before) checkDeadOptions(f.file, src, cp, issues);
  if (issues.length === before) checkDefaults(f.file, cp, issues);
  if (src.sizing) checkSizing(f.file, src.sizing, cp, issues);
  if (src.fitFeedback) checkFitFeedback(f.file, src.fitFeedback, cp, issues);
  return issues.length > before ? null : cp;
}

function checkDeadOptions(file: string, src: ProductSource, cp: CompiledProduct, issues: CatalogIssue[]) {
  // An option that no valid configuration can use is a catalog bug: the shop would show it forever disabled.
  const avail = availability(cp, new Int32Array(cp.modules.length).fill(-1));
  cp.modules.forEach((m, mi) => {
    if (m.kind === 'text') {
      if (!avail[cp.valueOffset[mi]! + 1])
        issues.push({
          file,
          path: `modules[${mi}]`,
          message: `the rules never allow text in "${m.id}"`,
        });
      return;
    }
    for (let v = 0; v < m.size; v++) {
      if (avail[cp.valueOffset[mi]! + v]) continue;
      const def = src.modules[mi]!;
      const where =
        'generate' in def && def.generate ? `modules[${mi}].generate` : `modules[${mi}].options[${v}]`;
      issues.push({
        file,
        path: where,
        message: `option "${m.optionIds[v]}" can never be chosen: the rules exclude it in every configuration`,
      });
    }
  });
}

function checkDefaults(file: string, cp: CompiledProduct, issues: CatalogIssue[]) {
  // The defaults are where the configurator starts: together they must be a choice the rules allow.
  const defaults: Record<string, string> = {};
  for (const m of cp.product.modules)
    if (m.kind === 'choice' && m.default !== undefined) defaults[m.id] = m.default;
  const v = validate(cp, defaults);
  if (v.valid) return;
  const err = v.errors.find((e) => e.code === 'rule');
  const culprit = [...(err?.modules ?? [])].reverse().find((id) => id in defaults);
  const mi = cp.product.modules.findIndex((m) => m.id === (culprit ?? Object.keys(defaults).at(-1)));
  issues.push({
    file,
    path: `modules[${mi}].default`,
    message: err?.rule
      ? `the defaults break rule "${err.rule}": ${err.message}`
      : 'the defaults cannot be completed into a valid configuration',
  });
}

function checkSizing(file: string, sizing: SizingDef, cp: CompiledProduct, issues: CatalogIssue[]) {
  sizing.targets.forEach((t, ti) => {
    const mi = cp.moduleIndex.get(t.module);
    if (mi === undefined) {
      issues.push({
        file,
        path: `sizing.targets[${ti}].module`,
        message: `unknown module "${t.module}"`,
      });
      return;
    }
    t.match.forEach((mt, k) => {
      const base = `sizing.targets[${ti}].match[${k}]`;
      if (!cp.modules[mi]!.attrs.every((a) => a?.[mt.attr] !== undefined))
        issues.push({
          file,
          path: `${base}.attr`,
          message: `every option of "${t.module}" needs the attribute "${mt.attr}"`,
        });
      if (!sizing.measurements.some((m) => m.id === mt.measurement))
        issues.push({
          file,
          path: `${base}.measurement`,
          message: `unknown measurement "${mt.measurement}"`,
        });
      if (mt.easeFrom && !cp.moduleIndex.has(mt.easeFrom.module))
        issues.push({
          file,
          path: `${base}.easeFrom.module`,
          message: `unknown module "${mt.easeFrom.module}"`,
        });
    });
  });
}

function checkFitFeedback(file: string, fb: FitFeedbackDef, cp: CompiledProduct, issues: CatalogIssue[]) {
  fb.areas.forEach((area, i) => {
    const at = `fitFeedback.areas[${i}].adjust`;
    const mi = cp.moduleIndex.get(area.adjust.module);
    if (mi === undefined || cp.modules[mi]!.kind !== 'choice') {
      issues.push({ file, path: `${at}.module`, message: `"${area.adjust.module}" is not a choice module` });
      return;
    }
    const m = cp.modules[mi]!;
    if ('attr' in area.adjust) {
      const attr = area.adjust.attr;
      if (!m.attrs.every((a) => a?.[attr] !== undefined))
        issues.push({
          file,
          path: `${at}.attr`,
          message: `every option of "${m.id}" needs the attribute "${attr}"`,
        });
    } else {
      area.adjust.order.forEach((o, k) => {
        if (!m.optionIndex.has(o))
          issues.push({
            file,
            path: `${at}.order[${k}]`,
            message: `unknown option "${o}" of module "${m.id}"`,
          });
      });
    }
  });
}

function checkOptions(file: string, product: Product, issues: CatalogIssue[]) {
  product.modules.forEach((m, mi) => {
    if (m.kind !== 'choice') return;
    // A generator repeats one mistake in every option it builds: say it once, with a count.
    const start = issues.length;
    checkModuleOptions(file, m, mi, issues);
    if (!m.generated) return;
    const found = issues.splice(start);
    const firsts = new Map<string, { issue: CatalogIssue; more: number }>();
    for (const i of found) {
      const key = `${i.path}\0${i.message.replace(/"[^"]*"/, '')}`;
      const seen = firsts.get(key);
      if (seen) seen.more++;
      else firsts.set(key, { issue: i, more: 0 });
    }
    for (const { issue, more } of firsts.values())
      issues.push(more ? { ...issue, message: `${issue.message} (and ${more} more like it)` } : issue);
  });
}

function checkModuleOptions(
  file: string,
  m: Extract<Product['modules'][number], { kind: 'choice' }>,
  mi: number,
  issues: CatalogIssue[],
) {
  {
    const ids = new Map<string, number>();
    const codes = new Map<string, number>();
    m.options.forEach((o, oi) => {
      const at = m.generated ? `modules[${mi}].generate` : `modules[${mi}].options[${oi}]`;
      if (ids.has(o.id))
        issues.push({ file, path: `${at}.id`, message: `duplicate option id "${o.id}" in module "${m.id}"` });
      if (codes.has(o.code))
        issues.push({
          file,
          path: `${at}.code`,
          message: `duplicate option code "${o.code}" in module "${m.id}"`,
        });
      if (!/^[a-z0-9][a-z0-9._-]*$/.test(o.id))
        issues.push({ file, path: `${at}.id`, message: `generated id "${o.id}" is not a valid id` });
      if (!/^[A-Z0-9./]+$/.test(o.code))
        issues.push({ file, path: `${at}.code`, message: `generated code "${o.code}" is not a valid code` });
      ids.set(o.id, oi);
      codes.set(o.code, oi);
    });
    if (m.default !== undefined && !ids.has(m.default))
      issues.push({
        file,
        path: `modules[${mi}].default`,
        message: `default "${m.default}" is not an option of "${m.id}"`,
      });
  }
}

function loadPartners(
  f: CatalogFile,
  products: Map<string, CompiledProduct>,
  broken: Set<string>,
  issues: CatalogIssue[],
): { partners: PartnersFile['partners']; routing: CompiledRouting } | null {
  const parsed = partnersFileSchema.safeParse(f.data);
  if (!parsed.success) {
    for (const i of parsed.error.issues)
      issues.push({ file: f.file, path: formatPath(i.path), message: i.message });
    return null;
  }
  const data = parsed.data;
  const kinds = new Map<string, string>();
  data.partners.forEach((p, i) => {
    if (kinds.has(p.id))
      issues.push({ file: f.file, path: `partners[${i}].id`, message: `duplicate partner id "${p.id}"` });
    kinds.set(p.id, p.kind);
  });
  for (const [group, routes] of [
    ['suppliers', data.routing.suppliers],
    ['threePls', data.routing.threePls],
  ] as const) {
    const seen = new Set<string>();
    routes.forEach((r, i) => {
      // Orders record the route id that sent them: two routes with one id cannot be told apart.
      if (seen.has(r.id))
        issues.push({
          file: f.file,
          path: `routing.${group}[${i}].id`,
          message: `duplicate route id "${r.id}"`,
        });
      seen.add(r.id);
    });
  }
  const checkPartner = (id: string, kind: string, path: string) => {
    const k = kinds.get(id);
    if (!k) issues.push({ file: f.file, path, message: `unknown partner "${id}"` });
    else if (k !== kind)
      issues.push({ file: f.file, path, message: `partner "${id}" is a ${k}, not a ${kind}` });
  };
  const suppliers: CompiledRouting['suppliers'] = data.routing.suppliers.map((r, i) => {
    const base = `routing.suppliers[${i}]`;
    checkPartner(r.partner, 'supplier', `${base}.partner`);
    r.products?.forEach((p, k) => {
      if (!products.has(p) && !broken.has(p))
        issues.push({ file: f.file, path: `${base}.products[${k}]`, message: `unknown product "${p}"` });
    });
    const when = new Map<string, Literal[]>();
    if (r.when?.length) {
      if (!r.products)
        issues.push({
          file: f.file,
          path: `${base}.when`,
          message: 'option conditions need a "products" list',
        });
      for (const pid of r.products ?? []) {
        const cp = products.get(pid);
        if (!cp) continue;
        const lits = r.when.map((a, k) =>
          literalOf(cp.modules, cp.moduleIndex, a, f.file, `${base}.when[${k}]`, issues),
        );
        if (lits.every((l) => l)) when.set(pid, lits as Literal[]);
      }
    }
    return {
      id: r.id,
      partner: r.partner,
      reason: r.reason,
      products: r.products ? new Set(r.products) : undefined,
      when,
    };
  });
  const threePls: CompiledRouting['threePls'] = data.routing.threePls.map((r, i) => {
    checkPartner(r.partner, '3pl', `routing.threePls[${i}].partner`);
    return {
      id: r.id,
      partner: r.partner,
      reason: r.reason,
      countries: r.countries ? new Set(r.countries) : undefined,
    };
  });
  const lastSupplier = data.routing.suppliers.at(-1)!;
  if (lastSupplier.products || lastSupplier.when)
    issues.push({
      file: f.file,
      path: `routing.suppliers[${data.routing.suppliers.length - 1}]`,
      message: 'the last supplier route must be a default with no conditions',
    });
  const lastThreePl = data.routing.threePls.at(-1)!;
  if (lastThreePl.countries)
    issues.push({
      file: f.file,
      path: `routing.threePls[${data.routing.threePls.length - 1}]`,
      message: 'the last 3PL route must be a default with no country list',
    });
  return { partners: data.partners, routing: { partners: data.partners, suppliers, threePls } };
}
