import { describe, expect, it } from 'vitest';
import { weakPasswordReason } from './password-policy';

const account = { email: 'ada.lovelace@example.com', name: 'Ada Lovelace' };

describe('weakPasswordReason', () => {
  it.each([
    ['aaaaaaaaaa', 'repeats'],
    ['abababababab', 'repeats'],
    ['1234567890', 'run'],
    ['0987654321', 'run'],
    ['7890123456', 'run'],
    ['qwertyuiop', 'run'],
    ['QWERTYUIOP', 'run'],
    ['asdfghjklz', 'run'],
    ['1qaz2wsx3edc', 'run'],
    ['1q2w3e4r5t', 'run'],
    ['abcdefghijk', 'run'],
    ['password123', 'common'],
    ['Password123!', 'common'],
    ['p@ssw0rd12', 'common'],
    ['123password', 'common'],
    ['iloveyou12', 'common'],
    ['tailorloop2026', 'common'],
    ['ada.lovelace1', 'email or name'],
    ['lovelace2026!', 'email or name'],
    ['ada.lovelace@example.com', 'email or name'],
  ])('refuses %s (%s)', (password, why) => {
    expect(weakPasswordReason(password, account)).toMatch(
      why === 'repeats' ? /repeats/ : why === 'run' ? /run/ : why === 'common' ? /common/ : /email or name/,
    );
  });

  it.each([
    'correct horse battery',
    'benchmark password',
    'Tr0ub4dor&3xyz',
    'lovelace and babbage engines',
    'my password is long enough',
    'zxcvbnm, but longer than that',
    'über-geheimnis 7',
  ])('accepts %s', (password) => {
    expect(weakPasswordReason(password, account)).toBeUndefined();
  });

  it('ignores context words shorter than 4 letters', () => {
    expect(weakPasswordReason('jo-jo-jo-bean', { email: 'jo@example.com', name: 'Jo' })).toBeUndefined();
  });
});
