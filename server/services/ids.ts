import { randomFillSync } from 'node:crypto';

// Ids are drawn from a pool of CSPRNG bytes refilled 4 KiB at a time: an order takes about eight
// ids, and one randomBytes() call (a syscall) per id was a measurable share of order intake.
const POOL = Buffer.allocUnsafe(4096);
let offset = POOL.length;

/** A public id: a readable prefix and 128 random bits (`ord_...`, `spec_...`), never guessable. */
export function newId(prefix: string): string {
  if (offset + 16 > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const id = POOL.toString('base64url', offset, offset + 16);
  offset += 16;
  return `${prefix}_${id}`;
}
