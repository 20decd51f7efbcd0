import type { AppDeps } from '../../deps';
import { findProduct } from './configuration';

export function listProducts(deps: Pick<AppDeps, 'catalog'>) {
  return [...deps.catalog.products.values()].map((cp) => ({
    id: cp.product.id,
    name: cp.product.name,
    ...(cp.product.description ? { description: cp.product.description } : {}),
    currency: cp.product.currency,
    basePrice: cp.product.basePrice,
    catalogVersion: cp.product.version,
    configurations: cp.total.toString(),
  }));
}

/** The expanded definition (every generated option listed): what the configurator compiles. */
export function getProduct(deps: Pick<AppDeps, 'catalog'>, productId: string) {
  const cp = findProduct(deps.catalog, productId);
  return { ...cp.product, catalogVersion: cp.product.version };
}
