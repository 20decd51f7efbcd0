import { selectionValues } from './query';
import type { CompiledProduct, Price, PriceLine, Selection } from './types';

/**
 * Prices a selection in integer minor units: the base price, each chosen option's surcharge
 * (or discount), text personalisation, and every conditional price rule whose conditions the
 * selection meets. A partial selection gets the price of what is chosen so far ("from" price).
 */
export function price(cp: CompiledProduct, selection: Selection): Price {
  const sel = selectionValues(cp, selection);
  const lines: PriceLine[] = [{ label: cp.product.name, amount: cp.product.basePrice }];
  let total = cp.product.basePrice;
  for (const m of cp.modules) {
    const v = sel[m.index]!;
    if (v < 0) continue;
    const amount = m.optionPrice[v]!;
    if (amount === 0) continue;
    const label = m.kind === 'text' ? `${m.label} "${selection[m.id]}"` : `${m.label}: ${m.optionLabels[v]}`;
    lines.push({ label, amount, module: m.id });
    total += amount;
  }
  for (const pr of cp.priceRules) {
    if (pr.atoms.every((a) => sel[a.mod]! >= 0 && a.allowed[sel[a.mod]!] === 1)) {
      lines.push({ label: pr.label, amount: pr.amount, rule: cp.rules[pr.rule]!.id });
      total += pr.amount;
    }
  }
  return { currency: cp.product.currency, total, lines };
}
