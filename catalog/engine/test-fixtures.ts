import { type Catalog, loadCatalog } from '../load';
import partnersJson from '../partners.json';
import jeansJson from '../products/jeans.json';
import shirtJson from '../products/shirt.json';

/** The real catalog, loaded the way the server and the page load it (shared by the unit tests). */
export function realCatalog(): Catalog {
  return loadCatalog({
    products: [
      { file: 'catalog/products/jeans.json', data: jeansJson },
      { file: 'catalog/products/shirt.json', data: shirtJson },
    ],
    partners: { file: 'catalog/partners.json', data: partnersJson },
  });
}

/** A complete, valid pair of jeans to vary in tests. */
export const plainJeans = {
  size: 'w34-h42',
  inseam: 'l32',
  fit: 'straight',
  rise: 'mid',
  fabric: 'classic-12',
  stretch: 'none',
  wash: 'rinse',
  hem: 'standard',
} as const;
