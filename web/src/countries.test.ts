import { describe, expect, it } from 'vitest';
import { isCountryCode } from '../../catalog/countries';
import { countries } from './countries';

describe('the checkout’s countries', () => {
  it('offers every country the server accepts, by name, and nothing it refuses', () => {
    const list = countries();
    expect(list.every((c) => isCountryCode(c.code))).toBe(true);
    // Thailand, Kosovo and Vietnam were missing from the first, hand-picked list of 46.
    for (const code of ['GB', 'US', 'TH', 'XK', 'VN']) expect(list.map((c) => c.code)).toContain(code);
    expect(list.length).toBe(250);
    expect(list.find((c) => c.code === 'GB')?.name).toBe('United Kingdom');
    const names = list.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });
});
