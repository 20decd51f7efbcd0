import type { ChoiceModuleDef, GeneratorDef, ModuleDef, OptionDef, ProductSource } from '../schema';
import type { Product, ProductModule } from './types';

/**
 * Lists every option of every module: a generated module (a size chart written as numeric axes)
 * becomes an ordinary list of options with its attributes, in axis order. The result is the
 * product the configurator and the API serve; expanding an already expanded product is a no-op.
 */
export function expandProduct(source: ProductSource | Product): Product {
  return {
    ...source,
    rules: source.rules ?? [],
    modules: source.modules.map((m) => expandModule(m as ModuleDef | ProductModule)),
  };
}

function expandModule(m: ModuleDef | ProductModule): ProductModule {
  if (m.kind === 'text') {
    return { ...m, required: m.required ?? false };
  }
  const choice = m as ChoiceModuleDef;
  if (choice.generate) {
    const { generate, ...rest } = choice;
    return { ...rest, required: true, generated: true, options: generateOptions(generate) };
  }
  return { ...(choice as ChoiceModuleDef), required: true, options: choice.options ?? [] } as ProductModule;
}

/** Every combination of the axes (first axis outermost), minus the excluded cells. */
export function generateOptions(g: GeneratorDef): OptionDef[] {
  const axisValues = g.axes.map((a) => a.values ?? rangeValues(a.from!, a.to!, a.step!));
  const out: OptionDef[] = [];
  const attrs: Record<string, number> = {};
  const walk = (axis: number) => {
    if (axis === g.axes.length) {
      const all: Record<string, number> = { ...attrs };
      for (const d of g.derived ?? [])
        all[d.attr] = round(d.sum.reduce((s, k) => s + (all[k] ?? Number.NaN), 0));
      if ((g.exclude ?? []).some((ex) => matchesWhere(all, ex.where))) return;
      out.push({
        id: fill(g.id, all),
        label: fill(g.label, all),
        code: fill(g.code, all),
        attrs: all,
      });
      return;
    }
    for (const v of axisValues[axis]!) {
      attrs[g.axes[axis]!.attr] = v;
      walk(axis + 1);
    }
  };
  walk(0);
  return out;
}

function rangeValues(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  // Count steps as integers so 26 + 0.5·k never drifts (26.499999…).
  const n = Math.floor((to - from) / step + 1e-9);
  for (let k = 0; k <= n; k++) out.push(round(from + k * step));
  return out;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

function matchesWhere(attrs: Record<string, number>, where: Record<string, { min?: number; max?: number }>) {
  return Object.entries(where).every(([k, b]) => {
    const v = attrs[k];
    if (v === undefined) return false;
    return (b.min === undefined || v >= b.min) && (b.max === undefined || v <= b.max);
  });
}

function fill(template: string, attrs: Record<string, number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) =>
    attrs[k] === undefined ? `{${k}}` : String(attrs[k]),
  );
}
