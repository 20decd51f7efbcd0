import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('newId', () => {
  it('gives prefixed 128-bit ids that do not repeat, across pool refills', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newId('ord')));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^ord_[A-Za-z0-9_-]{22}$/);
  });
});
