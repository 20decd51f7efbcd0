import { afterAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../server/services/customers/rate-limit';
import { createTestApp, expectProblem, signUp } from './setup';

let clock = Date.parse('2026-11-23T10:00:00Z');
const t = createTestApp({}, () => new Date(clock));
afterAll(() => t.close());

describe('register, me, logout', () => {
  it('registers, sets an HttpOnly SameSite=Lax session cookie, and /api/me answers', async () => {
    const res = await t.call('POST', '/api/auth/register', {
      body: {
        email: '  Zoë.Ünïcode@Example.COM ',
        password: 'correct horse battery',
        name: 'Zoë 🧵 Ünïcode',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.stringMatching(/^cus_/), email: 'zoë.ünïcode@example.com' });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const me = await t.call('GET', '/api/me', { cookie: res.cookie! });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: res.body.id, email: 'zoë.ünïcode@example.com', name: 'Zoë 🧵 Ünïcode' });
  });

  it('uses a Secure __Host- cookie over https', async () => {
    const res = await t.app.request('https://shop.example/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'secure@example.com', password: 'correct horse battery', name: 'S' }),
    });
    expect(res.status).toBe(201);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^__Host-tl_session=/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/Path=\//);
    const cookie = setCookie.split(';')[0]!;
    const me = await t.app.request('https://shop.example/api/me', { headers: { cookie } });
    expect(me.status).toBe(200);
  });

  it('refuses a duplicate email (any case) with 409', async () => {
    await signUp(t, { email: 'dup@example.com' });
    const p = expectProblem(
      await t.call('POST', '/api/auth/register', {
        body: { email: 'DUP@example.com', password: 'another password', name: 'Dup' },
      }),
      409,
    );
    expect(p.errors?.[0].path).toBe('email');
  });

  it('422s a bad email, short password or missing name, listing each field', async () => {
    const p = expectProblem(
      await t.call('POST', '/api/auth/register', { body: { email: 'nope', password: 'short', name: '' } }),
      422,
    );
    expect(p.errors?.map((e) => e.path).sort()).toEqual(['email', 'name', 'password']);
  });

  it('422s a long but easily guessed password, saying why, and creates no account', async () => {
    // Ten characters was the only rule: "1234567890", "password123" or the email itself passed.
    const cases: Array<[string, RegExp]> = [
      ['1234567890', /run of neighbouring/],
      ['Password123!', /most common/],
      ['aaaaaaaaaaaa', /repeats/],
      ['grace.hopper1', /email or name/],
    ];
    for (const [password, why] of cases) {
      const p = expectProblem(
        await t.call('POST', '/api/auth/register', {
          body: { email: 'grace.hopper@example.com', password, name: 'Grace Hopper' },
        }),
        422,
      );
      expect(p.errors).toEqual([
        { path: 'password', code: 'weak_password', message: expect.stringMatching(why) },
      ]);
    }
    expect(
      (
        await t.call('POST', '/api/auth/login', {
          body: { email: 'grace.hopper@example.com', password: '1234567890' },
        })
      ).status,
    ).toBe(401);
    // Wrong types still get field errors, not a 500 from the password check.
    const wrong = expectProblem(
      await t.call('POST', '/api/auth/register', {
        body: { email: 'x@example.com', password: 1234567890, name: 7 },
      }),
      422,
    );
    expect(wrong.errors?.map((e) => e.path).sort()).toEqual(['name', 'password']);
  });

  it('401s /api/me without a session and with a made-up cookie', async () => {
    expectProblem(await t.call('GET', '/api/me'), 401);
    expectProblem(await t.call('GET', '/api/me', { cookie: 'tl_session=forged' }), 401);
  });

  it('logout kills the session server-side', async () => {
    const { cookie } = await signUp(t);
    const out = await t.call('POST', '/api/auth/logout', { cookie });
    expect(out.status).toBe(204);
    expectProblem(await t.call('GET', '/api/me', { cookie }), 401);
  });

  it('a session expires server-side', async () => {
    const { cookie } = await signUp(t);
    clock += t.deps.env.SESSION_TTL * 1000 + 1;
    expectProblem(await t.call('GET', '/api/me', { cookie }), 401);
  });
});

describe('login', () => {
  it('issues a NEW session id at every login; the old session is ended on re-login', async () => {
    const { cookie: first, email, password } = await signUp(t);
    const res = await t.call('POST', '/api/auth/login', {
      body: { email: email.toUpperCase(), password },
      cookie: first,
    });
    expect(res.status).toBe(200);
    expect(res.body.email).toBe(email);
    expect(res.cookie).toBeDefined();
    expect(res.cookie).not.toBe(first);
    expect((await t.call('GET', '/api/me', { cookie: res.cookie! })).status).toBe(200);
    expectProblem(await t.call('GET', '/api/me', { cookie: first }), 401);
  });

  it('401s a wrong password and an unknown account the same way', async () => {
    const { email } = await signUp(t);
    const a = expectProblem(
      await t.call('POST', '/api/auth/login', { body: { email, password: 'wrong password' } }),
      401,
    );
    const b = expectProblem(
      await t.call('POST', '/api/auth/login', {
        body: { email: 'ghost@example.com', password: 'wrong password' },
      }),
      401,
    );
    expect(a.title).toBe(b.title);
  });

  it('rate-limits failures per account with 429 and Retry-After, then lets the customer back in', async () => {
    const { email, password } = await signUp(t);
    const burst = LOGIN_LIMITS.account[0].max;
    for (let i = 0; i < burst; i++)
      expect(
        (await t.call('POST', '/api/auth/login', { body: { email, password: 'bad guess' } })).status,
      ).toBe(401);
    const limited = await t.call('POST', '/api/auth/login', { body: { email, password } });
    expectProblem(limited, 429);
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    clock += retry * 1000;
    expect((await t.call('POST', '/api/auth/login', { body: { email, password } })).status).toBe(200);
  });

  it('never allows more than 100 failures per account per hour', async () => {
    const { email } = await signUp(t);
    let failures = 0;
    const start = clock;
    // Retry as soon as allowed for an hour of simulated time.
    while (clock - start < 60 * 60_000) {
      const res = await t.call('POST', '/api/auth/login', { body: { email, password: 'bad guess' } });
      if (res.status === 401) failures++;
      else {
        expect(res.status).toBe(429);
        clock += Number(res.headers.get('retry-after')) * 1000;
      }
    }
    expect(failures).toBeLessThanOrEqual(100);
  });
});

describe('cross-site requests', () => {
  it('refuses a cookie-authenticated mutation from another origin', async () => {
    const { cookie } = await signUp(t);
    const res = await t.call('POST', '/api/auth/logout', {
      cookie,
      headers: { origin: 'https://evil.example' },
    });
    expectProblem(res, 403);
    expect((await t.call('GET', '/api/me', { cookie })).status).toBe(200);
    const form = await t.call('POST', '/api/specs', {
      cookie,
      raw: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
    });
    expectProblem(form, 403);
  });

  it('sends secure headers on every response', async () => {
    const res = await t.call('GET', '/api/products');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    // The shop is never framed: the old header says the same as the CSP's frame-ancestors 'none'.
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});
