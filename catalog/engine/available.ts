import { classAvailability, selectionValues, valueClasses } from './query';
import type {
  CompiledModule,
  CompiledProduct,
  ModuleAvailability,
  OptionAvailability,
  Selection,
} from './types';

export interface AvailableOptionsOptions {
  /** Explain unavailable options (default true). Off, only `available` flags are computed. */
  reasons?: boolean;
}

interface Explanation {
  reasons: string[];
  rules: string[];
  change?: string[];
}

/**
 * For every module, every option marked available or not. Complete: an option is available
 * exactly when some valid complete configuration agrees with the selection on every other module
 * and takes this option, whatever the rule graph (chains and cycles included), because it is read
 * off the compiled diagram rather than checked rule by rule. An unavailable option says which
 * rules block it and which current choices to change to unlock it.
 */
export function availableOptions(
  cp: CompiledProduct,
  selection: Selection,
  options: AvailableOptionsOptions = {},
): ModuleAvailability[] {
  const sel = selectionValues(cp, selection);
  const ix = explainIndex(cp);
  const { start, of } = ix;
  const avail = classAvailability(cp, sel, ix.avail);
  const explain = options.reasons !== false;
  const modules = cp.modules;
  const out: ModuleAvailability[] = new Array(modules.length);
  // One explanation per (module, value class) and call: options no rule tells apart share it.
  const memo: Array<Explanation | undefined> = explain ? new Array(avail.length) : [];
  for (let mi = 0; mi < modules.length; mi++) {
    const m = modules[mi]!;
    const off = cp.valueOffset[mi]!;
    if (m.kind === 'text') {
      const available = avail[of[off + 1]!] === 1;
      const mod: ModuleAvailability = { id: m.id, kind: 'text', options: [], available };
      if (!available && explain)
        mod.reasons = (memo[of[off + 1]!] ??= explanation(cp, ix, sel, mi, 1)).reasons;
      out[mi] = mod;
      continue;
    }
    let all = true;
    for (let k = start[mi]!; k < start[mi + 1]!; k++) if (!avail[k]) all = false;
    // Every option available: one frozen answer shared by every such call.
    if (all) {
      out[mi] = ix.allOn[mi] ??= Object.freeze<ModuleAvailability>({
        id: m.id,
        kind: 'choice',
        options: Object.freeze(flags(ix, avail, m, off)) as OptionAvailability[],
      });
      continue;
    }
    const opts = flags(ix, avail, m, off);
    if (explain) {
      for (let v = 0; v < m.size; v++) {
        if (avail[of[off + v]!]) continue;
        const why = (memo[of[off + v]!] ??= explanation(cp, ix, sel, mi, v));
        const id = m.optionIds[v]!;
        opts[v] = why.change
          ? { id, available: false, reasons: why.reasons, rules: why.rules, change: why.change }
          : { id, available: false, reasons: why.reasons, rules: why.rules };
      }
    }
    out[mi] = { id: m.id, kind: 'choice', options: opts };
  }
  return out;
}

function flags(ix: ExplainIndex, avail: Uint8Array, m: CompiledModule, off: number): OptionAvailability[] {
  const on = ix.on[m.index]!;
  const no = ix.off[m.index]!;
  const opts: OptionAvailability[] = new Array(m.size);
  for (let v = 0; v < m.size; v++) opts[v] = avail[ix.of[off + v]!] ? on[v]! : no[v]!;
  return opts;
}

/**
 * What explaining needs, derived once per compiled product and held with it: frozen
 * `{ id, available }` flags per option (an answer for the jeans lists ~290 options and most are
 * plain flags) and shared frozen module answers, the value classes, for every class the clauses
 * on its module that exclude it, for every rule the modules it names, and scratch arrays reused
 * by every call (JavaScript runs one call at a time; none escapes a call).
 */
interface ExplainIndex {
  on: OptionAvailability[][];
  off: OptionAvailability[][];
  allOn: Array<ModuleAvailability | undefined>;
  /** Value classes (see `valueClasses`). */
  start: Int32Array;
  of: Int32Array;
  /** Per class, on first use: see `excluding`. */
  excluding: Array<number[] | undefined>;
  /** Per rule: the modules its clauses name, first occurrence first. */
  ruleModules: number[][];
  // Plain arrays of strings, so explaining reads one object shape (modules and rules come in several).
  id: string[];
  label: string[];
  optionLabel: string[][];
  message: string[];
  ruleId: string[];
  avail: Uint8Array;
  trialAvail: Uint8Array;
  trial: Int32Array;
  mark: Uint8Array;
  linked: Uint8Array;
}

const indexes = new WeakMap<CompiledProduct, ExplainIndex>();
function explainIndex(cp: CompiledProduct): ExplainIndex {
  let ix = indexes.get(cp);
  if (ix) return ix;
  const M = cp.modules.length;
  const { start, of, rep } = valueClasses(cp);
  const make = (available: boolean) =>
    cp.modules.map((m) => m.optionIds.map((id) => Object.freeze({ id, available })));
  const ruleModules = cp.rules.map((_, r) => [
    ...new Set(cp.clauses.flatMap((cl) => (cl.rule === r ? cl.literals.map((l) => l.mod) : []))),
  ]);
  ix = {
    on: make(true),
    off: make(false),
    allOn: new Array(M).fill(undefined),
    start,
    of,
    excluding: [],
    ruleModules,
    id: cp.modules.map((m) => m.id),
    label: cp.modules.map((m) => m.label),
    optionLabel: cp.modules.map((m) => (m.kind === 'text' ? ['', 'set'] : m.optionLabels)),
    message: cp.rules.map((r) => r.message),
    ruleId: cp.rules.map((r) => r.id),
    avail: new Uint8Array(rep.length),
    trialAvail: new Uint8Array(rep.length),
    trial: new Int32Array(M),
    mark: new Uint8Array(M),
    linked: new Uint8Array(M),
  };
  indexes.set(cp, ix);
  return ix;
}

/**
 * Why value `value` of module `mod` (and every value of its class) is blocked: the rules it
 * breaks directly against the chosen options (change the other modules they name), else, for a
 * block that comes through a chain of rules, the chosen modules whose release alone unlocks it
 * (one availability pass with the option in place answers for all of them) and the rules on the way.
 */
function explanation(
  cp: CompiledProduct,
  ix: ExplainIndex,
  sel: Int32Array,
  mod: number,
  value: number,
): Explanation {
  const { clauses, modules } = cp;
  const { start, mark } = ix;
  const M = modules.length;
  const about = excluding(cp, ix, mod, value);
  const rules: number[] = [];
  let change: number[] = [];
  let stuck = false;
  // Direct: a clause that excludes the value and that the other choices already fail.
  for (const ci of about) {
    const cl = clauses[ci]!;
    if (
      cl.rule >= 0 &&
      !rules.includes(cl.rule) &&
      cl.literals.every((l) => l.mod === mod || (sel[l.mod]! >= 0 && !l.allowed[sel[l.mod]!]))
    )
      rules.push(cl.rule);
  }
  mark.fill(0);
  if (rules.length) {
    for (const r of rules) {
      for (const b of ix.ruleModules[r]!) {
        if (b !== mod && sel[b]! >= 0 && !mark[b]) {
          mark[b] = 1;
          change.push(b);
        }
      }
    }
  } else {
    // Indirect: which single chosen module, released, unlocks the value? With a value of this
    // class in place, a chosen module unlocks it if any class of its own is available.
    const trial = ix.trial;
    trial.set(sel);
    trial[mod] = value;
    const avail = classAvailability(cp, trial, ix.trialAvail);
    const chosen: number[] = [];
    for (let b = 0; b < M; b++) {
      if (b === mod || sel[b]! < 0) continue;
      chosen.push(b);
      for (let k = start[b]!; k < start[b + 1]!; k++) {
        if (avail[k]) {
          change.push(b);
          break;
        }
      }
    }
    // The rules on the way: those the blockers' choices trigger, and those about this option that
    // share a module with them (the chain), not every rule that mentions the option.
    const triggered: number[] = [];
    for (const b of change) {
      for (const ci of excluding(cp, ix, b, sel[b]!)) {
        if (clauses[ci]!.rule < 0) continue;
        triggered.push(ci);
        for (const l of clauses[ci]!.literals) mark[l.mod] = 1;
      }
    }
    const linked = ix.linked;
    linked.fill(0);
    for (const ci of about) {
      const cl = clauses[ci]!;
      if (!cl.literals.some((l) => l.mod !== mod && mark[l.mod])) continue;
      for (const l of cl.literals) linked[l.mod] = 1;
      if (!rules.includes(cl.rule)) rules.push(cl.rule);
    }
    for (const ci of triggered) {
      const cl = clauses[ci]!;
      if (!rules.includes(cl.rule) && cl.literals.some((l) => l.mod === mod || linked[l.mod]))
        rules.push(cl.rule);
    }
    // Neither a rule nor a single choice to blame: every other choice is a candidate. This rare
    // case takes the common path below (a branch of its own, first reached after this function
    // was optimised, would have no type feedback and send it back to the interpreter).
    if (rules.length + change.length === 0) {
      stuck = true;
      change = chosen;
    }
  }
  // Arrays from `[]` literals filled by push and strings by concatenation, not `map`/`join`: a
  // literal's allocation site learns to start with room for strings, a mapped array does not, and
  // meeting an array of the other kind sends this function back to the interpreter.
  const reasons: string[] = [];
  const ids: string[] = [];
  for (const r of rules) {
    reasons.push(ix.message[r]!);
    ids.push(ix.ruleId[r]!);
  }
  if (!change.length && !stuck) return { reasons, rules: ids };
  const changeIds: string[] = [];
  let tail = 'To choose it, change ';
  for (const b of change) {
    if (changeIds.length) tail += ' or ';
    tail += `${ix.label[b]} (now ${ix.optionLabel[b]![sel[b]!]})`;
    changeIds.push(ix.id[b]!);
  }
  reasons.push(stuck ? STUCK : `${tail}.`);
  return { reasons, rules: ids, change: changeIds };
}

const STUCK = 'Not possible together with your current choices; change some of them to unlock it.';

/** The clauses on module `m` whose literal there excludes value `v` (and its class), in `clausesOf` order. */
function excluding(cp: CompiledProduct, ix: ExplainIndex, m: number, v: number): number[] {
  return (ix.excluding[ix.of[cp.valueOffset[m]! + v]!] ??= cp.clausesOf[m]!.filter((ci) =>
    cp.clauses[ci]!.literals.some((l) => l.mod === m && !l.allowed[v]),
  ));
}
