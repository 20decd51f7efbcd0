import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt at OWASP strength: N=2^17, r=8, p=1 (128 MiB per hash). Node's default maxmem is 32 MiB,
// so it is raised; the async API runs on the libuv pool, never blocking the event loop.
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem: 128 * N * r * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$<logN>$<r>$<p>$<salt>$<hash>`: the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string, logN = 17): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, logN, R, P);
  return ['scrypt', logN, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, logN, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !logN || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), Number(logN), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

const dummyHashes = new Map<number, Promise<string>>();
/** A hash to verify against when the account does not exist, so timing does not reveal it. */
export function dummyHash(logN: number): Promise<string> {
  let h = dummyHashes.get(logN);
  if (!h) dummyHashes.set(logN, (h = hashPassword('not-a-real-password', logN)));
  return h;
}
