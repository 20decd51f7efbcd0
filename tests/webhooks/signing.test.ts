import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../server/webhooks/secrets';
import { sign, signatureHeader, verify } from '../../server/webhooks/signing';

describe('signing is byte-identical to the standardwebhooks reference library', () => {
  it('matches the published test vector', () => {
    // From the Standard Webhooks spec / reference library tests.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const ts = 1614265330;
    const body = '{"test": 2432232314}';
    expect(sign(secret, id, ts, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(new Webhook(secret).sign(id, new Date(ts * 1000), body)).toBe(sign(secret, id, ts, body));
  });
  it('matches on random secrets, ids and unicode bodies', () => {
    for (let i = 0; i < 200; i++) {
      const secret = newWebhookSecret();
      const id = `msg_${randomBytes(12).toString('base64url')}`;
      const ts = 1_600_000_000 + i * 7919;
      const body = JSON.stringify({
        type: 'x',
        data: { n: i, s: 'ünïcødé ✂ 👖', r: randomBytes(i).toString('hex') },
      });
      expect(sign(secret, id, ts, body)).toBe(new Webhook(secret).sign(id, new Date(ts * 1000), body));
    }
  });
  it('new secrets are whsec_ + base64 of 32 bytes, accepted by the library', () => {
    const s = newWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(s.slice(6), 'base64').length).toBe(32);
    expect(() => new Webhook(s)).not.toThrow();
  });
});

describe('verify', () => {
  const secret = newWebhookSecret();
  const old = newWebhookSecret();
  const id = 'msg_abc';
  const body = '{"type":"production.accepted","timestamp":"2026-01-01T00:00:00Z","data":{"orderId":"ord_1"}}';
  const now = 1_800_000_000_000;
  const ts = now / 1000;

  it('accepts a library-signed request, with either live secret', () => {
    const signature = new Webhook(secret).sign(id, new Date(now), body);
    expect(verify([secret], { id, timestamp: String(ts), signature }, body, now).ok).toBe(true);
    expect(verify([old, secret], { id, timestamp: String(ts), signature }, body, now).ok).toBe(true);
  });
  it('a two-signature header verifies with only the old secret in the reference library', () => {
    const signature = signatureHeader([secret, old], id, Math.floor(Date.now() / 1000), body);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': signature,
    };
    expect(() => new Webhook(old).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
  it('rejects missing headers, wrong secret, tampered body, stale or future timestamps', () => {
    const signature = sign(secret, id, ts, body);
    expect(verify([secret], { id, timestamp: String(ts) }, body, now)).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(verify([old], { id, timestamp: String(ts), signature }, body, now)).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
    expect(verify([secret], { id, timestamp: String(ts), signature }, `${body} `, now).ok).toBe(false);
    const staleSig = sign(secret, id, ts - 301, body);
    expect(verify([secret], { id, timestamp: String(ts - 301), signature: staleSig }, body, now)).toEqual({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
    const futureSig = sign(secret, id, ts + 301, body);
    expect(verify([secret], { id, timestamp: String(ts + 301), signature: futureSig }, body, now).ok).toBe(
      false,
    );
    expect(
      verify(
        [secret],
        { id, timestamp: String(ts - 299), signature: sign(secret, id, ts - 299, body) },
        body,
        now,
      ).ok,
    ).toBe(true);
    expect(verify([secret], { id, timestamp: 'abc', signature }, body, now)).toEqual({
      ok: false,
      reason: 'bad_timestamp',
    });
    expect(verify([secret], { id, timestamp: String(ts), signature: 'v2,xyz' }, body, now).ok).toBe(false);
  });
});
