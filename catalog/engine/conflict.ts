import { isExtendable, selectionValues } from './query';
import type { CompiledProduct, ModuleAvailability, Selection, ValidationError } from './types';

/**
 * Why a set of choices has no valid completion, for answers that leave the browser: the rules
 * that together rule it out (an unsatisfiable core found by propagating the choices through the
 * clauses, each restriction remembering the clauses behind it) and the chosen modules they name.
 *
 * `validate()` and `availableOptions()` stay as they are in the browser bundle (decision 034);
 * the server refines their answers with these functions, so an API client gets a module path
 * for every error and reasons that are about the conflict, not a rule that merely shares a
 * module with it. Nothing here is needed to decide validity or availability: only to explain.
 */
export interface ConflictCore {
  /** Indexes into `cp.rules`, in the order propagation met them (required-text clauses left out). */
  rules: number[];
  /** Chosen modules (`sel[m] >= 0`) that the core's clauses name. */
  chosen: number[];
}

/**
 * Unit propagation with reasons over `sel` (−1 = open). Returns the clauses of a conflict when
 * propagation alone reaches one (every chain of rules the catalogs use), else null.
 */
export function conflictCore(cp: CompiledProduct, sel: Int32Array): ConflictCore | null {
  const M = cp.modules.length;
  const domain: Uint8Array[] = cp.modules.map((m) => {
    const d = new Uint8Array(m.size);
    const v = sel[m.index]!;
    if (v >= 0) d[v] = 1;
    else d.fill(1);
    return d;
  });
  // Per module: the clauses whose propagation narrowed its domain (transitively).
  const because: Array<Set<number>> = Array.from({ length: M }, () => new Set<number>());
  const clauses = cp.clauses;
  for (let changed = true; changed; ) {
    changed = false;
    for (let ci = 0; ci < clauses.length; ci++) {
      const cl = clauses[ci]!;
      let possible = -1;
      let possibleCount = 0;
      let satisfied = false;
      for (let k = 0; k < cl.literals.length; k++) {
        const l = cl.literals[k]!;
        const d = domain[l.mod]!;
        let any = false;
        let all = true;
        for (let v = 0; v < d.length; v++) {
          if (!d[v]) continue;
          if (l.allowed[v]) any = true;
          else all = false;
        }
        if (any && all) {
          satisfied = true;
          break;
        }
        if (any) {
          possibleCount++;
          possible = k;
        }
      }
      if (satisfied || possibleCount > 1) continue;
      // Every literal but (at most) one is already false: collect what made them false.
      const why = new Set<number>([ci]);
      for (let k = 0; k < cl.literals.length; k++) {
        if (k === possible) continue;
        for (const c of because[cl.literals[k]!.mod]!) why.add(c);
      }
      if (possibleCount === 0) return coreOf(cp, sel, why);
      const l = cl.literals[possible]!;
      const d = domain[l.mod]!;
      let narrowed = false;
      for (let v = 0; v < d.length; v++) {
        if (d[v] && !l.allowed[v]) {
          d[v] = 0;
          narrowed = true;
        }
      }
      if (narrowed) {
        for (const c of why) because[l.mod]!.add(c);
        changed = true;
      }
    }
  }
  return null;
}

function coreOf(cp: CompiledProduct, sel: Int32Array, clauseSet: Set<number>): ConflictCore {
  const rules: number[] = [];
  const chosen: number[] = [];
  for (const ci of clauseSet) {
    const cl = cp.clauses[ci]!;
    if (cl.rule >= 0 && !rules.includes(cl.rule)) rules.push(cl.rule);
    for (const l of cl.literals) if (sel[l.mod]! >= 0 && !chosen.includes(l.mod)) chosen.push(l.mod);
  }
  return { rules, chosen };
}

const WHOLE = 'These choices cannot be combined into a product we can make; change one of them.';

/**
 * `validate()`'s errors with the whole-selection one (`module: "selection"`, choices that are
 * each fine but leave no valid completion together) replaced by one error per rule of the
 * conflict, each naming the chosen module it is about. When propagation finds no core, the
 * chosen modules whose release alone restores a completion are named (all chosen ones if none).
 */
export function explainErrors(
  cp: CompiledProduct,
  selection: Selection,
  errors: ValidationError[],
): ValidationError[] {
  const at = errors.findIndex((e) => e.module === 'selection' && e.code === 'rule');
  if (at < 0) return errors;
  const sel = selectionValues(cp, selection);
  // validate() decides an optional text left empty as "no text"; explain the same question.
  for (const m of cp.modules) if (m.kind === 'text' && !m.required && sel[m.index]! < 0) sel[m.index] = 0;
  const core = conflictCore(cp, sel);
  const named: ValidationError[] = [];
  if (core?.rules.length) {
    for (const r of core.rules) {
      const rule = cp.rules[r]!;
      const mods = [
        ...new Set(cp.clauses.filter((c) => c.rule === r).flatMap((c) => c.literals.map((l) => l.mod))),
      ];
      const blame = mods.find((m) => core.chosen.includes(m) && selection[cp.modules[m]!.id] !== undefined);
      named.push({
        module: cp.modules[blame ?? mods[mods.length - 1]!]!.id,
        code: 'rule',
        rule: rule.id,
        modules: mods.map((m) => cp.modules[m]!.id),
        message: rule.message,
      });
    }
  } else {
    const chosen = cp.modules.filter((m) => selection[m.id] !== undefined && selection[m.id] !== '');
    const trial = new Int32Array(sel);
    let blockers = chosen.filter((m) => {
      trial.set(sel);
      trial[m.index] = -1;
      return isExtendable(cp, trial);
    });
    if (!blockers.length) blockers = chosen;
    for (const m of blockers) named.push({ module: m.id, code: 'rule', message: WHOLE });
  }
  return [...errors.slice(0, at), ...named, ...errors.slice(at + 1)];
}

/**
 * `availableOptions()`'s answer with the reasons of each option blocked through a chain of rules
 * replaced by the rules of the conflict it would cause (the engine's own list there is a guess
 * from the modules the rules share, and can name a rule the option does not break). Options
 * blocked directly by a rule keep their reasons; the "To choose it, change …" advice is kept.
 */
export function explainAvailability(
  cp: CompiledProduct,
  selection: Selection,
  modules: ModuleAvailability[],
): ModuleAvailability[] {
  const sel = selectionValues(cp, selection);
  const trial = new Int32Array(sel.length);
  const messages = new Set(cp.rules.map((r) => r.message));
  // Per (module, value class): the conflict's rules, or null to keep the engine's own reasons.
  const memo = new Map<string, number[] | null>();
  return modules.map((mod) => {
    const mi = cp.moduleIndex.get(mod.id)!;
    const m = cp.modules[mi]!;
    if (m.kind === 'text' || !mod.options.some((o) => !o.available)) return mod;
    return {
      ...mod,
      options: mod.options.map((o) => {
        if (o.available || !o.reasons) return o;
        const v = m.optionIndex.get(o.id)!;
        const key = `${mi}:${m.valueClass[v]}`;
        let rules = memo.get(key);
        if (rules === undefined) {
          trial.set(sel);
          trial[mi] = v;
          const given = o.rules ?? [];
          const direct = given.length > 0 && given.every((id) => brokenBy(cp, trial, id));
          const core = direct ? null : conflictCore(cp, trial);
          rules = core?.rules.length ? core.rules : null;
          memo.set(key, rules);
        }
        if (!rules) return o;
        const advice = o.reasons.filter((r) => !messages.has(r));
        return {
          ...o,
          reasons: [...rules.map((r) => cp.rules[r]!.message), ...advice],
          rules: rules.map((r) => cp.rules[r]!.id),
        };
      }),
    };
  });
}

/** Whether rule `id` has a clause every literal of which the fully decided `sel` breaks. */
function brokenBy(cp: CompiledProduct, sel: Int32Array, id: string): boolean {
  const r = cp.rules.findIndex((x) => x.id === id);
  return cp.clauses.some(
    (c) => c.rule === r && c.literals.every((l) => sel[l.mod]! >= 0 && !l.allowed[sel[l.mod]!]),
  );
}
