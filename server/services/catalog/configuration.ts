import {
  type Catalog,
  type CompiledProduct,
  explainErrors,
  type Price,
  price,
  type Selection,
  specCode,
  validate,
} from '../../../catalog/index';
import { DomainError, type FieldError } from '../../errors';

/** What a line remembers of each chosen option, so it can be named after the catalog moves on. */
export interface OptionSnapshot {
  moduleId: string;
  optionId: string;
  label: string;
  attrs?: Record<string, number>;
}

export interface CheckedConfiguration {
  cp: CompiledProduct;
  selection: Selection;
  specCode: string;
  price: Price;
  options: OptionSnapshot[];
}

/** The compiled product, or 404 naming the field that pointed at it. */
export function findProduct(catalog: Catalog, productId: string, path = 'productId'): CompiledProduct {
  const cp = catalog.products.get(productId);
  if (!cp)
    throw new DomainError('not_found', `There is no product "${productId}"`, {
      errors: [{ path, code: 'unknown_product', message: `"${productId}" is not a product in the catalog` }],
    });
  return cp;
}

/** Engine errors as API field errors: `path` is the module (prefixed when inside a bigger body). */
export function engineFieldErrors(errors: ReturnType<typeof validate>['errors'], prefix = ''): FieldError[] {
  return errors.map((e) => ({
    path: prefix + e.module,
    code: e.code,
    message: e.message,
    ...(e.rule ? { rule: e.rule } : {}),
    ...(e.modules ? { modules: e.modules.map((m) => prefix + m) } : {}),
  }));
}

/**
 * Re-runs the engine on a configuration that must be orderable: valid and complete, or a 422
 * naming every module at fault. Prices it and takes the snapshot an order line keeps.
 */
export function checkConfiguration(
  cp: CompiledProduct,
  selection: Selection,
  prefix = '',
): CheckedConfiguration {
  const v = validate(cp, selection);
  if (!v.valid || !v.complete)
    throw new DomainError(
      'invalid_configuration',
      v.valid ? 'The configuration is not complete' : 'The configuration is not valid',
      { errors: engineFieldErrors(explainErrors(cp, selection, v.errors), prefix) },
    );
  // Keep only modules the product has, in the product's order: a canonical selection.
  const clean: Selection = {};
  for (const m of cp.modules) {
    const value = selection[m.id];
    if (value !== undefined && value !== '') clean[m.id] = value;
  }
  return {
    cp,
    selection: clean,
    specCode: specCode(cp, clean),
    price: price(cp, clean),
    options: snapshotOptions(cp, clean),
  };
}

export function snapshotOptions(cp: CompiledProduct, selection: Selection): OptionSnapshot[] {
  const out: OptionSnapshot[] = [];
  for (const m of cp.modules) {
    const value = selection[m.id];
    if (value === undefined) continue;
    if (m.kind === 'text') {
      out.push({ moduleId: m.id, optionId: value, label: `${m.label}: ${value}` });
      continue;
    }
    const i = m.optionIndex.get(value);
    if (i === undefined) continue;
    const attrs = m.attrs[i];
    out.push({ moduleId: m.id, optionId: value, label: m.optionLabels[i]!, ...(attrs ? { attrs } : {}) });
  }
  return out;
}
