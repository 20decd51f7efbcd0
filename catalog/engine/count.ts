import { countValues, selectionValues } from './query';
import type { CompiledProduct, Selection } from './types';

/**
 * The exact number of valid complete configurations that extend the selection (all of them when
 * none is given), as a bigint, without enumerating them: one bottom-up pass over the compiled
 * diagram. An optional text module counts as two states, with and without text.
 */
export function count(cp: CompiledProduct, selection?: Selection): bigint {
  if (!selection) return cp.total;
  return countValues(cp, selectionValues(cp, selection));
}
