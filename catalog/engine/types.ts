import type { OptionDef, ProductSource, RuleDef, Selection, SizingDef } from '../schema';

export type { Selection };

/** A product with every generated option listed: what `GET /api/products/:id` serves and what compiles. */
export interface Product extends Omit<ProductSource, 'modules'> {
  modules: ProductModule[];
}
export type ProductModule =
  | {
      id: string;
      label: string;
      kind: 'choice';
      required: true;
      description?: string;
      display?: 'list' | 'swatch' | 'size';
      default?: string;
      /** True when the options were generated from a grid (a size chart). */
      generated?: boolean;
      options: OptionDef[];
    }
  | {
      id: string;
      label: string;
      kind: 'text';
      required: boolean;
      description?: string;
      pattern: string;
      maxLength: number;
      price?: number;
      placeholder?: string;
    };

/** One literal of a clause: module `mod` takes one of the values in `allowed`. */
export interface Literal {
  mod: number;
  allowed: Uint8Array;
}
/** A compiled constraint: at least one literal must hold. `rule` indexes `product.rules`. */
export interface Clause {
  rule: number;
  literals: Literal[];
}

/**
 * The decision diagram: every path from the root to the accepting terminal is exactly one
 * valid complete configuration. Level `l` decides module `order[l]`; node `n` of that level
 * sends value `v` to `table[tableStart[n] + v]` (−1 = no valid completion; TRUE = accept).
 */
export interface Diagram {
  order: Int32Array;
  levelOf: Int32Array;
  levelStart: Int32Array;
  nodeCount: number;
  tableStart: Int32Array;
  table: Int32Array;
  root: number;
}

export interface CompiledModule {
  index: number;
  id: string;
  label: string;
  kind: 'choice' | 'text';
  required: boolean;
  /** Number of engine values: options for a choice module; [absent, present] for a text module. */
  size: number;
  optionIds: string[];
  optionLabels: string[];
  optionCodes: string[];
  optionIndex: Map<string, number>;
  optionPrice: Int32Array;
  attrs: Array<Record<string, number> | undefined>;
  /**
   * Values no clause tells apart share a class: they are interchangeable for every rule, so
   * availability and its explanation are the same for all of them.
   */
  valueClass: Int32Array;
  pattern?: RegExp;
  maxLength?: number;
  textPrice?: number;
}

export interface CompiledPriceRule {
  rule: number;
  label: string;
  amount: number;
  /** All must hold. */
  atoms: Literal[];
}

export interface CompiledProduct {
  product: Product;
  modules: CompiledModule[];
  moduleIndex: Map<string, number>;
  /** Where module `m`'s values start in flat per-value arrays (length: modules + 1). */
  valueOffset: Int32Array;
  clauses: Clause[];
  /** Clause indices by module. */
  clausesOf: number[][];
  priceRules: CompiledPriceRule[];
  diagram: Diagram;
  /** Number of valid complete configurations with nothing chosen. */
  total: bigint;
  /** True when every count fits a float64 exactly, so counting may use numbers. */
  exactInNumbers: boolean;
  rules: RuleDef[];
  sizing?: SizingDef;
  stats: CompileStats;
}

export interface CompileStats {
  compileMs: number;
  nodes: number;
  tableEntries: number;
  clauses: number;
  /** Approximate bytes held by the compiled form's typed arrays and maps. */
  bytes: number;
}

export interface ValidationError {
  /** The module at fault (or `"selection"` for the whole). */
  module: string;
  code:
    | 'unknown_module'
    | 'unknown_option'
    | 'missing'
    | 'rule'
    | 'text_pattern'
    | 'text_length'
    | 'not_text';
  message: string;
  rule?: string;
  /** Every module the broken rule names. */
  modules?: string[];
}

export interface ValidationResult {
  valid: boolean;
  /** Every required module has a value. */
  complete: boolean;
  errors: ValidationError[];
}

export interface PriceLine {
  label: string;
  amount: number;
  module?: string;
  rule?: string;
}
export interface Price {
  currency: string;
  total: number;
  lines: PriceLine[];
}

export interface OptionAvailability {
  id: string;
  available: boolean;
  /** Why an unavailable option is blocked, in words a shopper understands. */
  reasons?: string[];
  /** Rule ids behind `reasons`. */
  rules?: string[];
  /** Modules whose current choice blocks this option: change one of these to unlock it. */
  change?: string[];
}
export interface ModuleAvailability {
  id: string;
  kind: 'choice' | 'text';
  options: OptionAvailability[];
  /** For a text module: whether entering text is possible with the rest of the selection. */
  available?: boolean;
  reasons?: string[];
}
