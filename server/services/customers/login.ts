import { eq } from 'drizzle-orm';
import { customers } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';
import { normaliseEmail } from './email';
import { dummyHash, verifyPassword } from './password';
import { forgiveLoginAttempt, reserveLoginAttempt } from './rate-limit';
import { createSession } from './sessions';

/**
 * Checks the password and starts a NEW session (a fresh id at every login, so a planted cookie
 * never becomes a signed-in one). Rate limits are checked, and the attempt counted as a failure,
 * atomically before any hashing; a right password then takes its count back.
 */
export async function loginCustomer(
  deps: AppDeps,
  input: { email: string; password: string; address: string; replaces?: string },
) {
  const email = normaliseEmail(input.email);
  const keys = { account: email, address: input.address };
  const reserved = reserveLoginAttempt(deps, keys);
  const row = deps.db.select().from(customers).where(eq(customers.email, email)).get();
  const ok = await verifyPassword(
    input.password,
    row?.passwordHash ?? (await dummyHash(deps.env.SCRYPT_LOG_N)),
  );
  if (!row || !ok) throw new DomainError('invalid_credentials', 'Wrong email or password');
  forgiveLoginAttempt(deps, reserved, email);
  const session = createSession(deps, row.id, input.replaces);
  return { customer: { id: row.id, email: row.email, name: row.name }, session };
}
