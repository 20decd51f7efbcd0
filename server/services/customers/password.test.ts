import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../env';
import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('defaults to scrypt N=2^17 r=8 p=1 and verifies', async () => {
    expect(loadEnv({}).SCRYPT_LOG_N).toBe(17);
    const started = performance.now();
    const hash = await hashPassword('correct horse battery', 17);
    const ms = performance.now() - started;
    expect(hash).toMatch(/^scrypt\$17\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterz', hash)).toBe(false);
    expect(ms).toBeGreaterThan(20); // memory-hard means it takes real work
  });

  it('does not block the event loop while hashing', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await hashPassword('x'.repeat(20), 17);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });
});
