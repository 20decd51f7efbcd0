import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from './env';

describe('loadEnv', () => {
  it('has a default for every CONTRACT variable', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      PORT: 8787,
      HOST: '127.0.0.1',
      DATABASE_PATH: './data/tailorloop.db',
      PARTNERS_SANDBOX: true,
      WEBHOOK_ALLOW_PRIVATE: true,
      WEBHOOK_RETRY_SCHEDULE: [5, 300, 1800, 7200, 18000, 36000, 36000],
      ADMIN_TOKEN_GENERATED: true,
    });
    expect(env.ADMIN_TOKEN.length).toBeGreaterThanOrEqual(24);
    expect(loadEnv({ NODE_ENV: 'production' }).WEBHOOK_ALLOW_PRIVATE).toBe(false);
    expect(loadEnv({ PARTNERS_SANDBOX: '0', WEBHOOK_RETRY_SCHEDULE: '1, 2' })).toMatchObject({
      PARTNERS_SANDBOX: false,
      WEBHOOK_RETRY_SCHEDULE: [1, 2],
    });
  });

  it('lists every bad value with its name', () => {
    try {
      loadEnv({ PORT: 'eighty', PARTNERS_SANDBOX: 'maybe', WEBHOOK_RETRY_SCHEDULE: '5,,x' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EnvError);
      const msg = (e as Error).message;
      expect(msg).toContain('PORT="eighty"');
      expect(msg).toContain('PARTNERS_SANDBOX="maybe"');
      expect(msg).toContain('WEBHOOK_RETRY_SCHEDULE');
    }
  });

  it('takes a short ADMIN_TOKEN with a warning, except in production', () => {
    const dev = loadEnv({ ADMIN_TOKEN: 'admin' });
    expect(dev.ADMIN_TOKEN).toBe('admin');
    expect(dev.ADMIN_TOKEN_GENERATED).toBe(false);
    expect(dev.warnings.join()).toContain('at least 16');
    expect(loadEnv({ ADMIN_TOKEN: 'a-long-enough-operator-token' }).warnings).toEqual([]);
    expect(() => loadEnv({ NODE_ENV: 'production', ADMIN_TOKEN: 'admin' })).toThrow(
      /ADMIN_TOKEN has 5 characters/,
    );
  });
});
