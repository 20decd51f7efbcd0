import { availability, isExtendable, selectionValues } from './query';
import type { CompiledProduct, ModuleAvailability, OptionAvailability, Selection } from './types';

export interface AvailableOptionsOptions {
  /** Explain unavailable options (default true). Off, only `available` flags are computed. */
  reasons?: boolean;
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
  const avail = availability(cp, sel);
  const explain = options.reasons !== false;
  const shared = sharedFlags(cp);
  let explainer: Explainer | undefined;
  return cp.modules.map((m) => {
    const off = cp.valueOffset[m.index]!;
    if (m.kind === 'text') {
      const available = avail[off + 1] === 1;
      const out: ModuleAvailability = { id: m.id, kind: 'text', options: [], available };
      if (!available && explain)
        out.reasons = (explainer ??= new Explainer(cp, sel)).explain(m.index, 1).reasons;
      return out;
    }
    const on = shared.on[m.index]!;
    const offFlags = shared.off[m.index]!;
    const opts: OptionAvailability[] = new Array(m.size);
    for (let v = 0; v < m.size; v++) {
      if (avail[off + v] === 1) opts[v] = on[v]!;
      else if (!explain) opts[v] = offFlags[v]!;
      else {
        const why = (explainer ??= new Explainer(cp, sel)).explain(m.index, v);
        opts[v] = why.change
          ? {
              id: m.optionIds[v]!,
              available: false,
              reasons: why.reasons,
              rules: why.rules,
              change: why.change,
            }
          : { id: m.optionIds[v]!, available: false, reasons: why.reasons, rules: why.rules };
      }
    }
    return { id: m.id, kind: 'choice', options: opts };
  });
}

// Frozen `{ id, available }` objects per option, reused by every call: an answer for the jeans
// lists ~290 options and most of them are plain flags.
const flagCache = new WeakMap<CompiledProduct, { on: OptionAvailability[][]; off: OptionAvailability[][] }>();
function sharedFlags(cp: CompiledProduct) {
  let flags = flagCache.get(cp);
  if (!flags) {
    const make = (available: boolean) =>
      cp.modules.map((m) => m.optionIds.map((id) => Object.freeze({ id, available })));
    flags = { on: make(true), off: make(false) };
    flagCache.set(cp, flags);
  }
  return flags;
}

/**
 * Finds why (module, value) is blocked: rules it breaks directly against the chosen options,
 * then, for blocks that come through a chain of rules, the chosen modules whose release
 * unlocks it (one availability pass per chosen module, computed once and shared).
 */
class Explainer {
  private readonly memo = new Map<number, { reasons: string[]; rules: string[]; change?: string[] }>();
  constructor(
    private readonly cp: CompiledProduct,
    private readonly sel: Int32Array,
  ) {}

  explain(mod: number, value: number): { reasons: string[]; rules: string[]; change?: string[] } {
    const key = mod * 65536 + this.cp.modules[mod]!.valueClass[value]!;
    let found = this.memo.get(key);
    if (!found) this.memo.set(key, (found = this.compute(mod, value)));
    return found;
  }

  private compute(mod: number, value: number): { reasons: string[]; rules: string[]; change?: string[] } {
    const { cp, sel } = this;
    const ruleIds = new Set<number>();
    // Direct: a clause on this module that excludes the value and that the other choices already fail.
    const aboutIt: number[] = [];
    for (const ci of cp.clausesOf[mod]!) {
      const clause = cp.clauses[ci]!;
      let excludes = false;
      let othersFail = true;
      for (const lit of clause.literals) {
        if (lit.mod === mod) excludes = lit.allowed[value] === 0;
        else {
          const s = sel[lit.mod]!;
          if (s < 0 || lit.allowed[s]) othersFail = false;
        }
      }
      if (!excludes) continue;
      aboutIt.push(ci);
      if (othersFail && clause.rule >= 0) ruleIds.add(clause.rule);
    }
    const change = new Set<string>();
    for (const r of ruleIds) {
      for (const ci of this.cp.clauses.keys()) {
        const cl = this.cp.clauses[ci]!;
        if (cl.rule !== r) continue;
        for (const lit of cl.literals)
          if (lit.mod !== mod && sel[lit.mod]! >= 0) change.add(cp.modules[lit.mod]!.id);
      }
    }
    if (ruleIds.size === 0) {
      // Indirect: which single chosen module, released, unlocks the value?
      // One backward pass per chosen module, no allocation: with this value here and that one
      // choice released, can the rest still be completed?
      const blockers: number[] = [];
      const trial = sel.slice();
      trial[mod] = value;
      for (let m = 0; m < trial.length; m++) {
        if (m === mod || sel[m]! < 0) continue;
        trial[m] = -1;
        if (isExtendable(cp, trial)) blockers.push(m);
        trial[m] = sel[m]!;
      }
      for (const b of blockers) change.add(cp.modules[b]!.id);
      // The rules on the way: those the blockers' choices trigger, and those about this option that
      // share a module with them (the chain), not every rule that mentions the option.
      const chain = new Set<number>();
      const triggered: number[] = [];
      for (const b of blockers) {
        for (const ci of cp.clausesOf[b]!) {
          const cl = cp.clauses[ci]!;
          const lit = cl.literals.find((l) => l.mod === b)!;
          if (lit.allowed[sel[b]!] || cl.rule < 0) continue;
          triggered.push(ci);
          for (const l of cl.literals) chain.add(l.mod);
        }
      }
      const linked = aboutIt.filter((ci) =>
        cp.clauses[ci]!.literals.some((l) => l.mod !== mod && chain.has(l.mod)),
      );
      const linkedMods = new Set(linked.flatMap((ci) => cp.clauses[ci]!.literals.map((l) => l.mod)));
      for (const ci of linked) ruleIds.add(cp.clauses[ci]!.rule);
      for (const ci of triggered) {
        if (cp.clauses[ci]!.literals.some((l) => l.mod === mod || linkedMods.has(l.mod)))
          ruleIds.add(cp.clauses[ci]!.rule);
      }
      if (ruleIds.size === 0 && blockers.length === 0) {
        return {
          reasons: [`Not possible together with your current choices; change some of them to unlock it.`],
          rules: [],
          change: [...sel].flatMap((s, m) => (s >= 0 && m !== mod ? [cp.modules[m]!.id] : [])),
        };
      }
    }
    const rules = [...ruleIds].map((r) => cp.rules[r]!);
    const reasons = rules.map((r) => r.message);
    if (change.size) {
      const what = [...change].map((id) => {
        const m = cp.modules[cp.moduleIndex.get(id)!]!;
        return `${m.label} (now ${m.kind === 'text' ? 'set' : m.optionLabels[sel[m.index]!]})`;
      });
      reasons.push(`To choose it, change ${what.join(' or ')}.`);
    }
    return { reasons, rules: rules.map((r) => r.id), ...(change.size ? { change: [...change] } : {}) };
  }
}
