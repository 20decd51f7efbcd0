/** localStorage that never throws (private mode, quota, jsdom without storage). */
export const storage = {
  get<T>(key: string, fallback: T): T {
    try {
      const raw = globalThis.localStorage?.getItem(key);
      return raw ? (JSON.parse(raw) as T) : fallback;
    } catch {
      return fallback;
    }
  },
  /** The keys that start with `prefix` (none when storage is unavailable). */
  keys(prefix: string): string[] {
    try {
      const ls = globalThis.localStorage;
      if (!ls) return [];
      const out: string[] = [];
      for (let i = 0; i < ls.length; i++) {
        const k = ls.key(i);
        if (k?.startsWith(prefix)) out.push(k);
      }
      return out;
    } catch {
      return [];
    }
  },
  set(key: string, value: unknown): void {
    try {
      if (value === undefined) globalThis.localStorage?.removeItem(key);
      else globalThis.localStorage?.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or unavailable: the page still works, it only forgets on reload.
    }
  },
};
