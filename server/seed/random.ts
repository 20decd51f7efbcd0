// A small seeded PRNG and the draws the demo history needs. Deterministic: the same seed gives
// the same database (ids included), so a chart in a screenshot can be reproduced.

/** mulberry32: 32-bit state, fast, good enough for demo data (not for secrets). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Draw {
  constructor(readonly random: () => number) {}

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.random();
  }

  int(lo: number, hiInclusive: number): number {
    return lo + Math.floor(this.random() * (hiInclusive - lo + 1));
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = Math.max(this.random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** One key of `weights`, in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.random() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [k, w] of entries) {
      r -= w;
      if (r < 0) return k;
    }
    return entries.at(-1)![0];
  }

  /** A public-looking id (`ord_...`) from this PRNG: 128 bits, base64url (newId() also puts the time first). */
  id(prefix: string): string {
    const bytes = Buffer.alloc(16);
    for (let i = 0; i < 16; i += 4) bytes.writeUInt32LE(Math.floor(this.random() * 4294967296) >>> 0, i);
    return `${prefix}_${bytes.toString('base64url')}`;
  }
}
