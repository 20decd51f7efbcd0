import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Why an address is not a public unicast one. `null` from `classifyAddress` means public.
 * Partner URLs must not reach into our own network (SSRF): the check runs when a URL is saved
 * and again on the exact address each connection dials (see `guardedConnector`).
 */
export type AddressClass =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'unique-local'
  | 'site-local'
  | 'invalid';

type V4Range = [base: number, bits: number, cls: AddressClass];

const v4 = (s: string): number => s.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);

const V4_RANGES: V4Range[] = [
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'cgnat'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('192.0.2.0'), 24, 'documentation'],
  [v4('192.88.99.0'), 24, 'reserved'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('198.51.100.0'), 24, 'documentation'],
  [v4('203.0.113.0'), 24, 'documentation'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('255.255.255.255'), 32, 'broadcast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

function inV4(addr: number, base: number, bits: number): boolean {
  if (bits === 0) return true;
  const size = 2 ** (32 - bits);
  return Math.floor(addr / size) === Math.floor(base / size);
}

function classifyV4Number(n: number): AddressClass | null {
  for (const [base, bits, cls] of V4_RANGES) if (inV4(n, base, bits)) return cls;
  return null;
}

/** Eight 16-bit groups, or null when the text is not an IPv6 address. Accepts a trailing dotted quad. */
function parseV6(text: string): number[] | null {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const lastColon = s.lastIndexOf(':');
  const quad = s.slice(lastColon + 1);
  if (quad.includes('.')) {
    // A trailing dotted quad is the last two groups: rewrite it as hex and parse as usual.
    if (isIP(quad) !== 4) return null;
    const n = v4(quad);
    s = `${s.slice(0, lastColon + 1)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string | undefined): number[] | null => {
    if (!part) return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) return null;
  const known = head.length + rest.length;
  if (halves.length === 2) {
    if (known > 7) return null;
    return [...head, ...new Array<number>(8 - known).fill(0), ...rest];
  }
  return known === 8 ? head : null;
}

function classifyV6(g: number[]): AddressClass | null {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g6 = 0, h = 0] = g;
  const embeddedV4 = g6 * 65536 + h;
  const zeroPrefix = a === 0 && b === 0 && c === 0 && d === 0 && e === 0;
  if (zeroPrefix && f === 0 && g6 === 0 && h === 0) return 'unspecified';
  if (zeroPrefix && f === 0 && g6 === 0 && h === 1) return 'loopback';
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (deprecated IPv4-compatible) reach the IPv4 address.
  if (zeroPrefix && (f === 0xffff || f === 0)) return classifyV4Number(embeddedV4);
  // 64:ff9b::/96 NAT64 translates to the embedded IPv4 address.
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) {
    return classifyV4Number(embeddedV4);
  }
  // 2002::/16 (6to4) carries an IPv4 address in bits 16..48.
  if (a === 0x2002) return classifyV4Number(b * 65536 + c);
  if ((a & 0xff00) === 0xff00) return 'multicast';
  if ((a & 0xffc0) === 0xfe80) return 'link-local';
  if ((a & 0xffc0) === 0xfec0) return 'site-local';
  if ((a & 0xfe00) === 0xfc00) return 'unique-local';
  if (a === 0x2001 && b === 0x0db8) return 'documentation';
  if (a === 0x0100 && b === 0 && c === 0 && d === 0) return 'reserved'; // discard-only 100::/64
  if (a === 0x2001 && b < 0x0200) return 'reserved'; // 2001::/23 IETF protocol assignments (Teredo...)
  if (a < 0x2000 || a >= 0x4000) return 'reserved'; // outside global unicast 2000::/3
  return null;
}

/** Classifies an IP literal (v4, v6, with or without brackets). `null` = public unicast. */
export function classifyAddress(address: string): AddressClass | null {
  const s = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(s.split('%')[0] ?? s);
  if (family === 4) return classifyV4Number(v4(s));
  if (family === 6) {
    const groups = parseV6(s);
    return groups ? classifyV6(groups) : 'invalid';
  }
  return 'invalid';
}

export class UnsafeAddressError extends Error {
  readonly code = 'unsafe_address';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly addressClass: AddressClass,
  ) {
    super(
      host === address
        ? `${address} is a ${addressClass} address; partner URLs must be public (set WEBHOOK_ALLOW_PRIVATE=1 to allow)`
        : `${host} resolves to ${address}, a ${addressClass} address; partner URLs must be public (set WEBHOOK_ALLOW_PRIVATE=1 to allow)`,
    );
    this.name = 'UnsafeAddressError';
  }
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Names that mean "this machine" whatever DNS says (RFC 6761). */
function isLocalName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

export type UrlCheck =
  | { ok: true; url: URL }
  | { ok: false; reason: 'invalid_url' | 'scheme' | 'credentials' | 'unsafe_address'; message: string };

/**
 * Checks a partner URL when an operator saves it: http(s) only, and unless private addresses
 * are allowed, neither the literal host nor anything it resolves to may be non-public. A name
 * that does not resolve (yet) is accepted: the connect-time guard still checks every dial.
 */
export async function checkPartnerUrl(
  raw: string,
  options: { allowPrivate: boolean; resolve?: Resolver; timeoutMs?: number },
): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid_url', message: 'not a valid absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: 'scheme', message: `the URL must be http or https, not ${url.protocol}` };
  }
  if (!url.hostname) return { ok: false, reason: 'invalid_url', message: 'the URL has no host' };
  // A user name or password in the URL would be a secret shown by GET /api/admin/partners
  // (CONTRACT: no secrets there); deliveries prove themselves by their signature instead.
  if (url.username || url.password)
    return {
      ok: false,
      reason: 'credentials',
      message:
        'the URL must not carry a user name or password; deliveries are authenticated by their signature',
    };
  if (options.allowPrivate) return { ok: true, url };
  const host = stripBrackets(url.hostname);
  if (isIP(host)) {
    const cls = classifyAddress(host);
    if (cls)
      return {
        ok: false,
        reason: 'unsafe_address',
        message: new UnsafeAddressError(host, host, cls).message,
      };
    return { ok: true, url };
  }
  if (isLocalName(host)) {
    return {
      ok: false,
      reason: 'unsafe_address',
      message: new UnsafeAddressError(host, host, 'loopback').message,
    };
  }
  let addresses: { address: string }[] = [];
  try {
    addresses = await withTimeout((options.resolve ?? systemResolver)(host), options.timeoutMs ?? 3000);
  } catch {
    return { ok: true, url };
  }
  for (const { address } of addresses) {
    const cls = classifyAddress(address);
    if (cls)
      return {
        ok: false,
        reason: 'unsafe_address',
        message: new UnsafeAddressError(host, address, cls).message,
      };
  }
  return { ok: true, url };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('DNS lookup timed out')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/**
 * Resolves `host` and returns the address to dial, refusing any non-public one. Every address
 * the name resolves to must be public: otherwise a name with one public and one private record
 * could still land inside. The caller dials the returned literal, so the checked address IS the
 * connected one and a DNS answer that changes between check and connect (rebinding) gains nothing.
 */
export async function resolveSafeAddress(
  host: string,
  options: { allowPrivate: boolean; resolve?: Resolver },
): Promise<{ address: string; family: number }> {
  const h = stripBrackets(host);
  const family = isIP(h);
  if (family) {
    const cls = options.allowPrivate ? null : classifyAddress(h);
    if (cls) throw new UnsafeAddressError(h, h, cls);
    return { address: h, family };
  }
  if (!options.allowPrivate && isLocalName(h)) throw new UnsafeAddressError(h, h, 'loopback');
  const addresses = await (options.resolve ?? systemResolver)(h);
  const first = addresses[0];
  if (!first) throw new Error(`${h} did not resolve`);
  if (!options.allowPrivate) {
    for (const a of addresses) {
      const cls = classifyAddress(a.address);
      if (cls) throw new UnsafeAddressError(h, a.address, cls);
    }
  }
  return first;
}
