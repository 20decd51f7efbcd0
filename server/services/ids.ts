import { randomBytes } from 'node:crypto';

/** A public id: a readable prefix and 128 random bits (`ord_...`, `spec_...`), never guessable. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}
