// The catalog engine the server also runs, imported module by module so the page does not
// carry the catalog file schemas (zod) it never uses: see docs/decisions/031-engine-imports.md.
// recommendSize and nearestValid load on demand (import them from catalog/engine/ directly
// with a dynamic import where they are used).
export { availableOptions } from '../../catalog/engine/available';
export { compile } from '../../catalog/engine/compile';
export { count } from '../../catalog/engine/count';
export type { Change } from '../../catalog/engine/nearest';
export { nearestValid } from '../../catalog/engine/nearest';
export { price } from '../../catalog/engine/price';
export type { SizeRecommendation } from '../../catalog/engine/recommend';
export { specCode } from '../../catalog/engine/spec-code';
export type {
  CompiledProduct,
  ModuleAvailability,
  OptionAvailability,
  Price,
  Product,
  ProductModule,
  Selection,
  ValidationResult,
} from '../../catalog/engine/types';
export { validate } from '../../catalog/engine/validate';
