import { createHmac, timingSafeEqual } from 'node:crypto';

// Standard Webhooks signing with node:crypto rather than the reference library's pure-JS HMAC:
// the dispatcher signs every attempt and the inbound route verifies every event, so the native
// HMAC matters for throughput. tests/webhooks/signing.test.ts proves the output byte-identical to
// `standardwebhooks` (its published test vector and random inputs). See docs/decisions/021.

const keys = new Map<string, Buffer>();

/** Decodes a `whsec_`-prefixed base64 secret to its key bytes (cached: secrets are few). */
export function secretKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
    if (key.length === 0) throw new Error('empty webhook secret');
    if (keys.size > 1000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/**
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` for one secret. `body` as a string is hashed as
 * its UTF-8 bytes; the dispatcher passes the bytes it sends.
 */
export function sign(secret: string, msgId: string, timestampSec: number, body: string | Buffer): string {
  const mac = createHmac('sha256', secretKey(secret));
  mac.update(`${msgId}.${timestampSec}.`);
  mac.update(body);
  return `v1,${mac.digest('base64')}`;
}

/** The `webhook-signature` header: one signature per live secret, space-separated. */
export function signatureHeader(
  secrets: readonly string[],
  msgId: string,
  timestampSec: number,
  body: string | Buffer,
) {
  return secrets.map((s) => sign(s, msgId, timestampSec, body)).join(' ');
}

/** The secrets that sign (and verify) right now: the current one, plus the previous during its grace period. */
export function liveSecrets(
  partner: { secret: string; previousSecret: string | null; previousSecretExpiresAt: number | null },
  nowMs: number,
): string[] {
  return partner.previousSecret && (partner.previousSecretExpiresAt ?? 0) > nowMs
    ? [partner.secret, partner.previousSecret]
    : [partner.secret];
}

export type VerifyFailure =
  | 'missing_headers'
  | 'bad_timestamp'
  | 'timestamp_out_of_tolerance'
  | 'no_matching_signature';

/**
 * Verifies a Standard Webhooks request against any of `secrets`. `body` must be the raw bytes as
 * received (re-serialised JSON would not match). Tolerance is symmetric: a timestamp too far in
 * the past or the future fails, which bounds how long a captured request can be replayed.
 */
export function verify(
  secrets: readonly string[],
  headers: { id?: string | null; timestamp?: string | null; signature?: string | null },
  body: string | Buffer,
  nowMs: number,
  toleranceSec = 300,
): { ok: true; timestampSec: number } | { ok: false; reason: VerifyFailure } {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const ts = Number(timestamp);
  // Whole seconds, as the timestamp is (and as the reference library compares): a request
  // stamped exactly 300 s ago is not "more than 300 s" off because our clock is 0.9 s into
  // the next second.
  const nowSec = Math.floor(nowMs / 1000);
  if (Math.abs(nowSec - ts) > toleranceSec) return { ok: false, reason: 'timestamp_out_of_tolerance' };
  const passed = signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3)));
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret, id, ts, body).slice(3));
    for (const p of passed) {
      if (p.length === expected.length && timingSafeEqual(p, expected)) return { ok: true, timestampSec: ts };
    }
  }
  return { ok: false, reason: 'no_matching_signature' };
}
