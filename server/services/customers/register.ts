import { eq } from 'drizzle-orm';
import { customers } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';
import { newId } from '../ids';
import { normaliseEmail } from './email';
import { hashPassword } from './password';
import { reserveRegistration } from './rate-limit';
import { createSession } from './sessions';

/**
 * Creates the account and signs it in. A taken email is 409 (it is the customer's own address);
 * every attempt, that one included, first counts against the client's address (429 past the
 * limit), so the 409 cannot be used to list who has an account.
 */
export async function registerCustomer(
  deps: AppDeps,
  input: { email: string; password: string; name: string; address: string },
) {
  reserveRegistration(deps, input.address);
  const email = normaliseEmail(input.email);
  const taken = () =>
    new DomainError('email_taken', 'An account with this email already exists; sign in instead', {
      errors: [{ path: 'email', code: 'taken', message: 'already registered' }],
    });
  if (deps.db.select({ id: customers.id }).from(customers).where(eq(customers.email, email)).get())
    throw taken();
  const passwordHash = await hashPassword(input.password, deps.env.SCRYPT_LOG_N);
  const id = newId('cus');
  const name = input.name.normalize('NFC');
  try {
    const session = deps.sqlite
      .transaction(() => {
        deps.db
          .insert(customers)
          .values({ id, email, name, passwordHash, createdAt: deps.now().getTime() })
          .run();
        return createSession(deps, id);
      })
      .immediate();
    return { customer: { id, email, name }, session };
  } catch (e) {
    // Two registrations of one address racing through the hash: the unique index decides.
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw taken();
    throw e;
  }
}
