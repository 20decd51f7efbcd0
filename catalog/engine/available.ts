import { classAvailability, releasable, selectionValues, valueClasses } from './query';
import type { CompiledProduct, ModuleAvailability, OptionAvailability, Selection } from './types';

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
  const avail = classAvailability(cp, sel, ix.classAvail);
  const explain = options.reasons !== false;
  const { start, of } = ix.classes;
  const modules = cp.modules;
  const out: ModuleAvailability[] = new Array(modules.length);
  // One explanation per (module, value class) and call: options no rule tells apart share it.
  let memo: Array<Explanation | undefined> | undefined;
  for (let mi = 0; mi < modules.length; mi++) {
    const m = modules[mi]!;
    const off = cp.valueOffset[mi]!;
    if (m.kind === 'text') {
      if (avail[of[off + 1]!] === 1) out[mi] = ix.textOn[mi]!;
      else if (!explain) out[mi] = ix.textOff[mi]!;
      else {
        memo ??= new Array(ix.classCount);
        const reasons = explainValue(cp, ix, sel, memo, mi, 1).reasons;
        out[mi] = { id: m.id, kind: 'text', options: [], available: false, reasons };
      }
      continue;
    }
    const k0 = start[mi]!;
    const k1 = start[mi + 1]!;
    let mask = 0;
    let all = true;
    for (let k = k0; k < k1; k++) {
      if (avail[k] === 1) mask |= 1 << (k - k0 < 30 ? k - k0 : 30);
      else all = false;
    }
    if (all) {
      out[mi] = ix.allOn[mi]!;
      continue;
    }
    if (!explain && k1 - k0 <= 30) {
      out[mi] = flagsOnly(ix, mi, mask, avail, of, off, m.size);
      continue;
    }
    const on = ix.on[mi]!;
    const size = m.size;
    const opts: OptionAvailability[] = new Array(size);
    for (let v = 0; v < size; v++) {
      if (avail[of[off + v]!] === 1) opts[v] = on[v]!;
      else if (!explain) opts[v] = ix.off[mi]![v]!;
      else {
        memo ??= new Array(ix.classCount);
        const why = explainValue(cp, ix, sel, memo, mi, v);
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
    out[mi] = { id: m.id, kind: 'choice', options: opts };
  }
  return out;
}

/** Patterns kept per module: a few KiB per module at most, whatever the product. */
const MASKS_KEPT = 64;

/** A module's flags-only answer for one pattern of available classes: frozen, built once, shared. */
function flagsOnly(
  ix: ExplainIndex,
  mi: number,
  mask: number,
  avail: Uint8Array,
  of: Int32Array,
  off: number,
  size: number,
): ModuleAvailability {
  const byMask = (ix.flagsByMask[mi] ??= new Map());
  let found = byMask.get(mask);
  if (found === undefined) {
    const on = ix.on[mi]!;
    const offFlags = ix.off[mi]!;
    const opts: OptionAvailability[] = new Array(size);
    for (let v = 0; v < size; v++) opts[v] = avail[of[off + v]!] === 1 ? on[v]! : offFlags[v]!;
    found = frozenModule(ix.moduleId[mi]!, opts);
    if (byMask.size < MASKS_KEPT) byMask.set(mask, found);
  }
  return found;
}

function frozenModule(id: string, opts: OptionAvailability[]): ModuleAvailability {
  return Object.freeze({ id, kind: 'choice', options: Object.freeze(opts) as OptionAvailability[] });
}

/**
 * What explaining needs, derived once per compiled product (a few KiB, held as long as the
 * product): shared `{ id, available }` flags (an answer for the jeans lists ~290 options and most
 * are plain flags), for every (module, value class) the clauses that exclude it, for every rule
 * the modules it names, its message and id, and scratch arrays reused by every call (JavaScript
 * runs one call at a time; none escapes a call).
 */
interface ExplainIndex {
  on: OptionAvailability[][];
  off: OptionAvailability[][];
  moduleId: string[];
  /** Per module: the answer when every option is available (text: when text can be entered). */
  allOn: ModuleAvailability[];
  textOn: ModuleAvailability[];
  textOff: ModuleAvailability[];
  /** Per module, flags-only answers by pattern of available classes (the first MASKS_KEPT seen). */
  flagsByMask: Array<Map<number, ModuleAvailability> | undefined>;
  classes: { start: Int32Array; of: Int32Array };
  classAvail: Uint8Array;
  /** Global class index of module m's class k: classStart[m] + k. */
  classStart: Int32Array;
  classCount: number;
  /** Per global class: the clauses on its module whose literal there excludes the class, in clausesOf order. */
  excluding: Int32Array[];
  /** Per rule: the modules its clauses name, first occurrence first. */
  ruleModules: Int32Array[];
  ruleMessage: string[];
  ruleId: string[];
  /** `Label (now Option)` per module value, built on first use. */
  nowPart: Array<string | undefined>;
  /** `To choose it, change Label (now Option).` per module value, built on first use. */
  nowSentence: Array<string | undefined>;
  trial: Int32Array;
  unlock: Uint8Array;
  mark: Uint8Array;
  chain: Uint8Array;
  linked: Uint8Array;
}

const indexCache = new WeakMap<CompiledProduct, ExplainIndex>();
function explainIndex(cp: CompiledProduct): ExplainIndex {
  let ix = indexCache.get(cp);
  if (ix) return ix;
  const M = cp.modules.length;
  const make = (available: boolean) =>
    cp.modules.map((m) => m.optionIds.map((id) => Object.freeze({ id, available })));
  const classStart = new Int32Array(M + 1);
  for (const m of cp.modules) {
    let k = 0;
    for (let v = 0; v < m.size; v++) if (m.valueClass[v]! + 1 > k) k = m.valueClass[v]! + 1;
    classStart[m.index + 1] = classStart[m.index]! + k;
  }
  const excluding: Int32Array[] = [];
  for (const m of cp.modules) {
    const classes = classStart[m.index + 1]! - classStart[m.index]!;
    for (let k = 0; k < classes; k++) {
      const rep = m.valueClass.indexOf(k);
      const list: number[] = [];
      for (const ci of cp.clausesOf[m.index]!) {
        for (const lit of cp.clauses[ci]!.literals) {
          if (lit.mod === m.index && lit.allowed[rep] === 0) {
            list.push(ci);
            break;
          }
        }
      }
      excluding.push(Int32Array.from(list));
    }
  }
  const ruleModules = cp.rules.map((_, r) => {
    const mods: number[] = [];
    for (const cl of cp.clauses) {
      if (cl.rule !== r) continue;
      for (const lit of cl.literals) if (!mods.includes(lit.mod)) mods.push(lit.mod);
    }
    return Int32Array.from(mods);
  });
  const values = cp.valueOffset[M]!;
  const on = make(true);
  const textModule = (m: (typeof cp.modules)[number], available: boolean) =>
    Object.freeze({
      id: m.id,
      kind: 'text' as const,
      options: Object.freeze<OptionAvailability[]>([]) as OptionAvailability[],
      available,
    });
  const classes = valueClasses(cp);
  ix = {
    on,
    off: make(false),
    moduleId: cp.modules.map((m) => m.id),
    allOn: cp.modules.map((m) =>
      m.kind === 'text' ? textModule(m, true) : frozenModule(m.id, on[m.index]!),
    ),
    textOn: cp.modules.map((m) => textModule(m, true)),
    textOff: cp.modules.map((m) => textModule(m, false)),
    flagsByMask: new Array(M).fill(undefined),
    classes,
    classAvail: new Uint8Array(classes.start[M]!),
    classStart,
    classCount: classStart[M]!,
    excluding,
    ruleModules,
    ruleMessage: cp.rules.map((r) => r.message),
    ruleId: cp.rules.map((r) => r.id),
    nowPart: new Array(values).fill(undefined),
    nowSentence: new Array(values).fill(undefined),
    trial: new Int32Array(M),
    unlock: new Uint8Array(M),
    mark: new Uint8Array(M),
    chain: new Uint8Array(M),
    linked: new Uint8Array(M),
  };
  indexCache.set(cp, ix);
  return ix;
}

function explainValue(
  cp: CompiledProduct,
  ix: ExplainIndex,
  sel: Int32Array,
  memo: Array<Explanation | undefined>,
  mod: number,
  value: number,
): Explanation {
  const key = ix.classStart[mod]! + cp.modules[mod]!.valueClass[value]!;
  let found = memo[key];
  if (found === undefined) memo[key] = found = explanation(cp, ix, sel, mod, value, key);
  return found;
}

/**
 * Why (mod, value) is blocked: the rules it breaks directly against the chosen options (change
 * the other modules they name), else, for a block that comes through a chain of rules, the chosen
 * modules whose release alone unlocks it (one forward and one backward pass for all of them) and
 * the rules on the way.
 */
function explanation(
  cp: CompiledProduct,
  ix: ExplainIndex,
  sel: Int32Array,
  mod: number,
  value: number,
  cls: number,
): Explanation {
  const clauses = cp.clauses;
  const about = ix.excluding[cls]!;
  const rules: number[] = [];
  // Direct: a clause that excludes the value and that the other choices already fail.
  for (let k = 0; k < about.length; k++) {
    const cl = clauses[about[k]!]!;
    if (cl.rule < 0 || rules.includes(cl.rule)) continue;
    let othersFail = true;
    for (const lit of cl.literals) {
      if (lit.mod === mod) continue;
      const s = sel[lit.mod]!;
      if (s < 0 || lit.allowed[s]) {
        othersFail = false;
        break;
      }
    }
    if (othersFail) rules.push(cl.rule);
  }
  const change: number[] = [];
  const M = cp.modules.length;
  if (rules.length > 0) {
    const mark = ix.mark;
    mark.fill(0);
    for (const r of rules) {
      const mods = ix.ruleModules[r]!;
      for (let k = 0; k < mods.length; k++) {
        const b = mods[k]!;
        if (b !== mod && sel[b]! >= 0 && !mark[b]) {
          mark[b] = 1;
          change.push(b);
        }
      }
    }
  } else {
    // Indirect: which single chosen module, released, unlocks the value? With this value here,
    // one pass finds every module that some other value of its own would let complete.
    const trial = ix.trial;
    trial.set(sel);
    trial[mod] = value;
    const unlock = releasable(cp, trial, ix.unlock);
    for (let b = 0; b < M; b++) if (b !== mod && sel[b]! >= 0 && unlock[b]) change.push(b);
    // The rules on the way: those the blockers' choices trigger, and those about this option that
    // share a module with them (the chain), not every rule that mentions the option.
    const { chain, linked } = ix;
    chain.fill(0);
    linked.fill(0);
    const triggered: number[] = [];
    for (const b of change) {
      const tl = ix.excluding[ix.classStart[b]! + cp.modules[b]!.valueClass[sel[b]!]!]!;
      for (let k = 0; k < tl.length; k++) {
        const cl = clauses[tl[k]!]!;
        if (cl.rule < 0) continue;
        triggered.push(tl[k]!);
        for (const l of cl.literals) chain[l.mod] = 1;
      }
    }
    for (let k = 0; k < about.length; k++) {
      const cl = clauses[about[k]!]!;
      let isLinked = false;
      for (const l of cl.literals) {
        if (l.mod !== mod && chain[l.mod]) {
          isLinked = true;
          break;
        }
      }
      if (!isLinked) continue;
      for (const l of cl.literals) linked[l.mod] = 1;
      if (!rules.includes(cl.rule)) rules.push(cl.rule);
    }
    for (const ci of triggered) {
      const cl = clauses[ci]!;
      if (rules.includes(cl.rule)) continue;
      for (const l of cl.literals) {
        if (l.mod === mod || linked[l.mod]) {
          rules.push(cl.rule);
          break;
        }
      }
    }
    if (rules.length === 0 && change.length === 0) {
      const all: string[] = [];
      for (let m = 0; m < M; m++) if (sel[m]! >= 0 && m !== mod) all.push(cp.modules[m]!.id);
      return {
        reasons: [`Not possible together with your current choices; change some of them to unlock it.`],
        rules: [],
        change: all,
      };
    }
  }
  const n = rules.length;
  const reasons: string[] = new Array(change.length ? n + 1 : n);
  const ids: string[] = new Array(n);
  for (let k = 0; k < n; k++) {
    reasons[k] = ix.ruleMessage[rules[k]!]!;
    ids[k] = ix.ruleId[rules[k]!]!;
  }
  if (change.length === 0) return { reasons, rules: ids };
  reasons[n] = changeSentence(cp, ix, sel, change);
  const changeIds: string[] = new Array(change.length);
  for (let k = 0; k < change.length; k++) changeIds[k] = cp.modules[change[k]!]!.id;
  return { reasons, rules: ids, change: changeIds };
}

/** "To choose it, change Fabric (now Selvedge 14 oz) or Hem (now Chain stitch)." */
function changeSentence(cp: CompiledProduct, ix: ExplainIndex, sel: Int32Array, change: number[]): string {
  if (change.length === 1) {
    const at = cp.valueOffset[change[0]!]! + sel[change[0]!]!;
    return (ix.nowSentence[at] ??= `To choose it, change ${nowPart(cp, ix, sel, change[0]!)}.`);
  }
  let s = 'To choose it, change ';
  for (let k = 0; k < change.length; k++) s += (k ? ' or ' : '') + nowPart(cp, ix, sel, change[k]!);
  return s + '.';
}

function nowPart(cp: CompiledProduct, ix: ExplainIndex, sel: Int32Array, b: number): string {
  const m = cp.modules[b]!;
  const v = sel[b]!;
  return (ix.nowPart[cp.valueOffset[b]! + v] ??=
    `${m.label} (now ${m.kind === 'text' ? 'set' : m.optionLabels[v]})`);
}
