import { EngineError } from '../errors';
import type { CompiledProduct, Selection } from './types';

const SEPARATOR = '-';

/**
 * A short, stable, human-readable code for a complete selection, printed on the supplier's
 * ticket: the product prefix, then one segment per module in catalog order (the option's code,
 * or the text with anything but A-Z a-z 0-9 escaped as ~XX UTF-8 bytes; empty for no text, and left
 * out at the end), e.g.
 * `JN-34/40-32-STR-MID-CL12-NS-RNS-STD-JDS`. parseSpecCode() inverts it exactly.
 */
export function specCode(cp: CompiledProduct, selection: Selection): string {
  const parts = [cp.product.codePrefix];
  for (const m of cp.modules) {
    const raw = selection[m.id];
    if (m.kind === 'text') {
      parts.push(raw ? encodeText(raw) : '');
      continue;
    }
    const v = raw === undefined ? undefined : m.optionIndex.get(raw);
    if (v === undefined)
      throw new EngineError('incomplete', `specCode needs a complete selection: ${m.label} is not chosen`);
    parts.push(m.optionCodes[v]!);
  }
  // No dangling separators on the ticket: trailing modules without text are left out.
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.join(SEPARATOR);
}

/**
 * The product and selection a spec code stands for, looked up among `products` by prefix.
 * Throws an EngineError (code `bad_spec_code`) naming the segment that does not match.
 */
export function parseSpecCode(
  products: Iterable<CompiledProduct>,
  code: string,
): { productId: string; selection: Selection } {
  const parts = code.split(SEPARATOR);
  const prefix = parts[0];
  const cp = [...products].find((p) => p.product.codePrefix === prefix);
  if (!cp) throw new EngineError('bad_spec_code', `no product has the code prefix "${prefix}"`);
  // Trailing text modules without text are omitted by specCode().
  while (parts.length < cp.modules.length + 1 && cp.modules[parts.length - 1]?.kind === 'text')
    parts.push('');
  if (parts.length !== cp.modules.length + 1)
    throw new EngineError(
      'bad_spec_code',
      `${cp.product.name} codes have ${cp.modules.length + 1} segments; "${code}" has ${parts.length}`,
    );
  const selection: Selection = {};
  cp.modules.forEach((m, i) => {
    const seg = parts[i + 1]!;
    if (m.kind === 'text') {
      if (seg) selection[m.id] = decodeText(seg);
      return;
    }
    const v = m.optionCodes.indexOf(seg);
    if (v < 0) throw new EngineError('bad_spec_code', `${m.label}: no option has the code "${seg}"`);
    selection[m.id] = m.optionIds[v]!;
  });
  return { productId: cp.product.id, selection };
}

const plain = /[A-Za-z0-9]/;
function encodeText(text: string): string {
  let out = '';
  for (const ch of text) {
    if (plain.test(ch)) out += ch;
    else
      for (const b of new TextEncoder().encode(ch))
        out += `~${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function decodeText(seg: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < seg.length; i++) {
    if (seg[i] === '~') {
      const hex = seg.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex))
        throw new EngineError('bad_spec_code', `bad escape "~${hex}" in "${seg}"`);
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (plain.test(seg[i]!)) bytes.push(seg.charCodeAt(i));
    else throw new EngineError('bad_spec_code', `unexpected "${seg[i]}" in "${seg}"`);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
}
