/** Integer minor units → "$129.00" in the shopper's locale. */
const formats = new Map<string, Intl.NumberFormat>();
export function money(amount: number, currency: string): string {
  try {
    // Creating a NumberFormat costs far more than using one; prices re-render on every pick.
    let f = formats.get(currency);
    if (!f) formats.set(currency, (f = new Intl.NumberFormat('en-US', { style: 'currency', currency })));
    return f.format(amount / 100);
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency}`;
  }
}

export function dateTime(iso: string | number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A module's name for the shopper: its label, or, for a module the catalog no longer has (so no
 * label is known any more), its id made readable ("rise" → "Rise", "back-pocket" → "Back pocket").
 */
export function moduleName(id: string, label: string | undefined): string {
  if (label) return label;
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
