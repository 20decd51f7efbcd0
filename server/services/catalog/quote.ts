import type { Selection } from '../../../catalog/index';
import type { AppDeps } from '../../deps';
import { checkConfiguration, findProduct } from './configuration';

/** The price and spec code of a complete, valid configuration (422 naming each module at fault). */
export function quote(deps: Pick<AppDeps, 'catalog'>, input: { productId: string; selection: Selection }) {
  const cp = findProduct(deps.catalog, input.productId);
  const c = checkConfiguration(cp, input.selection);
  return {
    valid: true as const,
    productId: cp.product.id,
    catalogVersion: cp.product.version,
    specCode: c.specCode,
    price: c.price,
    options: c.options.map(({ attrs: _attrs, ...o }) => o),
  };
}
