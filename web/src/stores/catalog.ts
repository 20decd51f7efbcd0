import { api, type ProductDetail } from '../api';
import { type CompiledProduct, compile } from '../engine';

export interface LoadedProduct {
  product: ProductDetail;
  cp: CompiledProduct;
}

// Each product is fetched and compiled once per page load; every pick then runs locally.
const cache = new Map<string, Promise<LoadedProduct>>();

export const catalogStore = {
  product(id: string): Promise<LoadedProduct> {
    let hit = cache.get(id);
    if (!hit) {
      hit = api.product(id).then((product) => ({ product, cp: compile(product) }));
      hit.catch(() => cache.delete(id));
      cache.set(id, hit);
    }
    return hit;
  },
  list: () => api.products(),
  clear: () => cache.clear(),
};
