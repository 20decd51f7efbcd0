/**
 * Passwords that are long enough but still among the first an attacker tries, after NIST SP
 * 800-63B (5.1.1.2): repetitive or sequential characters, context-specific words (the shop's
 * name, the account's own email or name), and the commonest dictionary words with digits or
 * symbols stuck on. It is not a breach corpus (none ships with the shop; docs/decisions/015):
 * it catches the guesses every cracking list starts with, nothing more.
 */

/** Runs people type as "random": alphabet, digits and keyboard rows, both ways. */
const SEQUENCES = [
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  '1q2w3e4r5t6y7u8i9o0p',
  'qazwsxedcrfvtgbyhnujmikolp',
];

/** The commonest base words of leaked passwords (with digits and symbols removed). */
const COMMON_WORDS = new Set([
  'password',
  'passw0rd',
  'p@ssword',
  'p@ssw0rd',
  'qwerty',
  'iloveyou',
  'welcome',
  'letmein',
  'admin',
  'administrator',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'dragon',
  'monkey',
  'master',
  'shadow',
  'superman',
  'batman',
  'trustno',
  'changeme',
  'secret',
  'login',
  'starwars',
  'whatever',
  'tailorloop',
]);

/** Why `password` is too easy to guess for this account, or undefined when it is not. */
export function weakPasswordReason(
  password: string,
  account: { email?: string; name?: string },
): string | undefined {
  const p = password.toLowerCase();
  if (new Set(p).size < 4) return 'it repeats too few different characters';
  if (isSequence(p)) return 'it is a run of neighbouring keys or characters';
  const core = p.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (COMMON_WORDS.has(core) || COMMON_WORDS.has(p.replace(/[^\p{L}@]/gu, '')))
    return 'it is one of the most common passwords';
  for (const word of contextWords(account))
    if (p.includes(word) && word.length * 2 >= p.length) return 'it is mostly your email or name';
  return undefined;
}

/** The whole password follows one sequence (cyclically, so "7890123456" counts), either way. */
function isSequence(p: string): boolean {
  for (const seq of SEQUENCES)
    for (const s of [seq, [...seq].reverse().join('')])
      for (let i = s.indexOf(p[0]!); i >= 0; i = s.indexOf(p[0]!, i + 1)) {
        let k = 1;
        while (k < p.length && p[k] === s[(i + k) % s.length]) k++;
        if (k === p.length) return true;
      }
  return false;
}

/** The account's own words worth guessing: its email, the email's name part, its name (≥ 4 letters). */
function contextWords(account: { email?: string; name?: string }): string[] {
  const email = (account.email ?? '').trim().toLowerCase();
  const local = email.split('@')[0] ?? '';
  const name = (account.name ?? '').trim().toLowerCase();
  return [
    email,
    local,
    name,
    name.replace(/\s+/g, ''),
    ...local.split(/[._+-]+/),
    ...name.split(/\s+/),
  ].filter((w) => w.length >= 4);
}
