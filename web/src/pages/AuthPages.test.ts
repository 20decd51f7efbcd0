import { describe, expect, it } from 'vitest';
import { safeNext } from './AuthPages';

describe('safeNext (?next= after signing in)', () => {
  it('keeps paths on this site', () => {
    expect(safeNext('/orders/ord_1?x=1#y')).toBe('/orders/ord_1?x=1#y');
    expect(safeNext('/p/jeans?size=w34-h42')).toBe('/p/jeans?size=w34-h42');
  });

  it('refuses anything a browser would read as another host', () => {
    for (const next of [
      '//evil.example',
      '/\\evil.example/x',
      '/\\/evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '',
      undefined,
      ['/specs'],
    ]) {
      expect(safeNext(next)).toBe('/specs');
      const resolved = new URL(safeNext(next), 'https://shop.example');
      expect(resolved.host).toBe('shop.example');
    }
  });
});
