import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('newId', () => {
  it('gives prefixed ids with 128 random bits that do not repeat, across pool refills', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newId('ord')));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^ord_[0-9a-z]{9}[A-Za-z0-9_-]{22}$/);
  });

  it('starts with the creation time, so ids made later sort after earlier ones', async () => {
    const a = newId('ord');
    await new Promise((r) => setTimeout(r, 3));
    const b = newId('ord');
    expect(a < b).toBe(true);
    expect(Number.parseInt(a.slice(4, 13), 36)).toBeLessThanOrEqual(Date.now());
    expect(Number.parseInt(a.slice(4, 13), 36)).toBeGreaterThan(Date.now() - 60_000);
  });
});
