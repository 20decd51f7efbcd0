import { acceptsComplete, isExtendable } from './query';
import type { CompiledProduct, Selection, ValidationError, ValidationResult } from './types';

/**
 * Checks a selection (partial or complete) and lists every problem with its module and a message
 * for the shopper: unknown modules and options, text that breaks its pattern or length, missing
 * required modules, every rule the chosen options break, and choices that are each fine but leave
 * no valid completion together. `valid` means nothing is wrong so far (missing modules aside);
 * an order needs `valid && complete`. Never throws on bad input.
 */
export function validate(cp: CompiledProduct, selection: Selection): ValidationResult {
  const sel = new Int32Array(cp.modules.length).fill(-1);
  // Pushed to directly (no closure: a valid selection allocates nothing but `sel`).
  let errors: ValidationError[] | undefined;

  if (selection === null || typeof selection !== 'object' || Array.isArray(selection)) {
    return {
      valid: false,
      complete: false,
      errors: [
        {
          module: 'selection',
          code: 'unknown_module',
          message: 'The selection must be an object of module → option.',
        },
      ],
    };
  }
  for (const key in selection) {
    const mi = cp.moduleIndex.get(key);
    const raw = selection[key];
    if (mi === undefined) {
      (errors ??= []).push({
        module: key,
        code: 'unknown_module',
        message: `"${key}" is not a module of ${cp.product.name}.`,
      });
      continue;
    }
    const m = cp.modules[mi]!;
    if (typeof raw !== 'string') {
      (errors ??= []).push({
        module: key,
        code: 'unknown_option',
        message: `${m.label}: expected a string.`,
      });
      continue;
    }
    if (m.kind === 'text') {
      if (raw.length === 0) continue;
      if ([...raw].length > m.maxLength!) {
        (errors ??= []).push({
          module: key,
          code: 'text_length',
          message: `${m.label}: at most ${m.maxLength} characters.`,
        });
      } else if (m.pattern && !m.pattern.test(raw)) {
        (errors ??= []).push({
          module: key,
          code: 'text_pattern',
          message: `${m.label}: "${raw}" uses characters we cannot stitch.`,
        });
      }
      sel[mi] = 1;
      continue;
    }
    const v = m.optionIndex.get(raw);
    if (v === undefined) {
      (errors ??= []).push({
        module: key,
        code: 'unknown_option',
        message: `${m.label}: "${raw}" is not an option (any more).`,
      });
      continue;
    }
    sel[mi] = v;
  }

  let complete = true;
  for (const m of cp.modules) {
    if (sel[m.index]! >= 0) continue;
    if (m.kind === 'text' && !m.required) {
      sel[m.index] = 0; // no text entered: absent
      continue;
    }
    complete = false;
    const given = selection[m.id];
    if (given === undefined || given === '')
      (errors ??= []).push({ module: m.id, code: 'missing', message: `${m.label}: please choose one.` });
  }

  // Fast path: a complete selection that the diagram accepts is valid (one shared, frozen answer).
  if (!errors && complete && acceptsComplete(cp, sel)) return VALID;
  let conflicts = false;
  if (errors) for (const e of errors) if (e.code !== 'missing') conflicts = true;

  // Every rule whose clause the chosen values already break.
  const broken = new Set<number>();
  for (const clause of cp.clauses) {
    let decided = true;
    let satisfied = false;
    for (const lit of clause.literals) {
      const v = sel[lit.mod]!;
      if (v < 0) {
        decided = false;
        break;
      }
      if (lit.allowed[v]) {
        satisfied = true;
        break;
      }
    }
    if (!decided || satisfied || broken.has(clause.rule)) continue;
    broken.add(clause.rule);
    const rule = cp.rules[clause.rule];
    conflicts = true;
    const mods = clause.literals.map((l) => cp.modules[l.mod]!.id);
    // Blame the module the rule is about (its `then`), falling back to the last one named.
    const about = mods[mods.length - 1]!;
    (errors ??= []).push({
      module: about,
      code: 'rule',
      rule: rule?.id ?? 'required-text',
      modules: mods,
      message: rule ? rule.message : `${cp.modules[clause.literals[0]!.mod]!.label} is required.`,
    });
  }
  if (!conflicts && !isExtendable(cp, sel)) {
    conflicts = true;
    (errors ??= []).push({
      module: 'selection',
      code: 'rule',
      message: 'These choices cannot be combined into a product we can make; change one of them.',
    });
  }
  return { valid: !conflicts, complete, errors: errors ?? [] };
}

const VALID: ValidationResult = Object.freeze({
  valid: true,
  complete: true,
  errors: Object.freeze([]) as unknown as ValidationError[],
});
