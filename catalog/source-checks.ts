import { generateOptions } from './engine/expand';
import type { CatalogIssue } from './errors';
import type { GeneratorDef, ProductSource } from './schema';

/** Most options one generator may produce (the jeans' waist/hip grid has 227). */
export const MAX_GENERATED_OPTIONS = 10_000;

/**
 * Checks every generator of a product before anything is expanded: axes that run backwards,
 * attributes a template, a derived sum or an exclusion names but no axis defines, and a grid
 * so large that building it would exhaust memory (counted arithmetically, never built).
 */
export function checkGenerators(file: string, src: ProductSource, issues: CatalogIssue[]): void {
  src.modules.forEach((m, mi) => {
    if (m.kind !== 'choice' || !m.generate) return;
    checkGenerator(file, `modules[${mi}].generate`, m.generate, issues);
  });
}

function checkGenerator(file: string, at: string, g: GeneratorDef, issues: CatalogIssue[]) {
  const before = issues.length;
  const known: string[] = [];
  let total = 1;
  g.axes.forEach((a, k) => {
    if (known.includes(a.attr))
      issues.push({
        file,
        path: `${at}.axes[${k}].attr`,
        message: `attribute "${a.attr}" is already an axis`,
      });
    known.push(a.attr);
    if (a.values) {
      total *= a.values.length;
      return;
    }
    const from = a.from!;
    const to = a.to!;
    if (to < from) {
      issues.push({ file, path: `${at}.axes[${k}].to`, message: `"to" (${to}) is below "from" (${from})` });
      return;
    }
    // The same count generateOptions uses, without building the values.
    total *= Math.floor((to - from) / a.step! + 1e-9) + 1;
  });
  const list = () => `(the generator has ${known.join(', ')})`;
  g.derived?.forEach((d, k) => {
    d.sum.forEach((s, j) => {
      if (!known.includes(s))
        issues.push({
          file,
          path: `${at}.derived[${k}].sum[${j}]`,
          message: `unknown attribute "${s}" ${list()}`,
        });
    });
    known.push(d.attr);
  });
  g.exclude?.forEach((ex, k) => {
    for (const key of Object.keys(ex.where))
      if (!known.includes(key))
        issues.push({
          file,
          path: `${at}.exclude[${k}].where.${key}`,
          message: `unknown attribute "${key}" ${list()}`,
        });
  });
  for (const field of ['id', 'label', 'code'] as const) {
    for (const [, name] of g[field].matchAll(/\{(\w+)\}/g)) {
      if (!known.includes(name!))
        issues.push({ file, path: `${at}.${field}`, message: `unknown attribute "{${name}}" ${list()}` });
    }
  }
  if (issues.length > before) return;
  if (total > MAX_GENERATED_OPTIONS)
    issues.push({
      file,
      path: at,
      message: `would generate ${total.toLocaleString('en-US')} options; at most ${MAX_GENERATED_OPTIONS.toLocaleString('en-US')} (check "from", "to" and "step")`,
    });
  else if (generateOptions(g).length === 0)
    issues.push({ file, path: at, message: 'the generator leaves no option: every combination is excluded' });
}

/**
 * Why a text pattern could take exponential time on some input (catastrophic backtracking), or
 * null. Conservative and static: a group that repeats (`*`, `+`, `{n,}`, `{n,m}` with m > 1) may
 * contain neither a variable quantifier nor an alternative (`(a+)+`, `(a|ab)*`, `(\w{1,3})+`).
 * A shopper's text reaches this pattern on every request, so a slow one would stall the shop.
 */
export function slowPatternReason(pattern: string): string | null {
  interface Frame {
    risky: boolean;
  }
  const stack: Frame[] = [{ risky: false }];
  let lastGroup: Frame | null = null; // the group just closed, if the previous atom was a group
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i]!;
    if (c === '\\') {
      // \p{…}, \u{…}: skip the braces too.
      const next = pattern[i + 1];
      i += 2;
      if ((next === 'p' || next === 'P' || next === 'u') && pattern[i] === '{') {
        const close = pattern.indexOf('}', i);
        i = close < 0 ? n : close + 1;
      }
      lastGroup = null;
      continue;
    }
    if (c === '[') {
      i++;
      if (pattern[i] === ']') i++;
      while (i < n && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
      lastGroup = null;
      continue;
    }
    if (c === '(') {
      stack.push({ risky: false });
      i++;
      if (pattern[i] === '?') {
        // (?: (?= (?! (?<= (?<! (?<name>
        i++;
        if (pattern[i] === '<' && pattern[i + 1] !== '=' && pattern[i + 1] !== '!') {
          const close = pattern.indexOf('>', i);
          i = close < 0 ? n : close + 1;
        } else i += pattern[i] === '<' ? 2 : 1;
      }
      lastGroup = null;
      continue;
    }
    if (c === ')') {
      const closed = stack.length > 1 ? stack.pop()! : { risky: false };
      // What is risky inside a group is risky inside the groups around it.
      if (closed.risky) stack[stack.length - 1]!.risky = true;
      lastGroup = closed;
      i++;
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1]!.risky = true;
      lastGroup = null;
      i++;
      continue;
    }
    const q = quantifierAt(pattern, i);
    if (q) {
      if (lastGroup?.risky && q.max > 1)
        return 'a repeated group contains another repetition or alternatives';
      if (q.min !== q.max) stack[stack.length - 1]!.risky = true;
      i = q.end;
      if (pattern[i] === '?') i++; // lazy
      lastGroup = null;
      continue;
    }
    lastGroup = null;
    i++;
  }
  return null;
}

function quantifierAt(p: string, i: number): { min: number; max: number; end: number } | null {
  const c = p[i];
  if (c === '*') return { min: 0, max: Number.POSITIVE_INFINITY, end: i + 1 };
  if (c === '+') return { min: 1, max: Number.POSITIVE_INFINITY, end: i + 1 };
  if (c === '?') return { min: 0, max: 1, end: i + 1 };
  if (c !== '{') return null;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
  return { min, max, end: i + m[0].length };
}
