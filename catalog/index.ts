// The catalog as a unit: file formats, loading, the engine and routing. Pure: no node:*, no
// clock, no randomness, so the browser and the server run the very same rules.

export { COUNTRY_CODES, isCountryCode } from './countries';
export { type Adjustment, type FitAnswer, proposeAdjustment } from './engine/adjust';
export { type AvailableOptionsOptions, availableOptions } from './engine/available';
export { type CompileOptions, compile } from './engine/compile';
export { type ConflictCore, conflictCore, explainAvailability, explainErrors } from './engine/conflict';
export { count } from './engine/count';
export { expandProduct } from './engine/expand';
export { type Change, type NearestOptions, nearestValid } from './engine/nearest';
export { price } from './engine/price';
export {
  type Measurements,
  recommendSize,
  type SizeAdvice,
  type SizeRecommendation,
} from './engine/recommend';
export { sampleConfiguration } from './engine/sample';
export { parseSpecCode, specCode } from './engine/spec-code';
export type * from './engine/types';
export { validate } from './engine/validate';
export { CatalogError, type CatalogIssue, EngineError } from './errors';
export { type Catalog, type CatalogFile, loadCatalog, loadProduct } from './load';
export { type CompiledRouting, type RouteChoice, routeLine, routeOrder, routeThreePl } from './routing';
export * from './schema';
