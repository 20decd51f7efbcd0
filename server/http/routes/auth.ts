import { Hono } from 'hono';
import type { AppDeps } from '../../deps';
import { loginCustomer } from '../../services/customers/login';
import { registerCustomer } from '../../services/customers/register';
import { destroySession } from '../../services/customers/sessions';
import { parseBody } from '../problem';
import { loginRequestSchema, registerRequestSchema } from '../schemas';
import { clearSessionCookie, clientAddress, requireCustomer, setSessionCookie } from '../session';
import type { AppEnv } from '../types';

export function authRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post('/api/auth/register', async (c) => {
      const input = await parseBody(c, registerRequestSchema);
      const { customer, session } = await registerCustomer(deps, {
        ...input,
        address: clientAddress(deps, c),
      });
      setSessionCookie(deps, c, session.token, session.expiresAt);
      return c.json(customer, 201);
    })
    .post('/api/auth/login', async (c) => {
      const input = await parseBody(c, loginRequestSchema);
      // The session of the cookie this sign-in replaces ends with it (a new id at every login).
      const { customer, session } = await loginCustomer(deps, {
        ...input,
        address: clientAddress(deps, c),
        replaces: c.get('customer')?.sessionHash,
      });
      setSessionCookie(deps, c, session.token, session.expiresAt);
      return c.json(customer);
    })
    .post('/api/auth/logout', (c) => {
      const customer = c.get('customer');
      if (customer) destroySession(deps, customer.sessionHash);
      clearSessionCookie(deps, c);
      return c.body(null, 204);
    })
    .get('/api/me', (c) => {
      const { id, email, name } = requireCustomer(c);
      return c.json({ id, email, name });
    });
}
