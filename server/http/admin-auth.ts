import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../deps';
import { DomainError } from '../errors';

/**
 * Bearer `ADMIN_TOKEN` (compared in constant time), else 401. The app mounts it once on
 * `/api/admin/*`, before routing, so every operator route has it and a path that does not exist
 * answers 401 like one that does (a stranger cannot map them).
 */
export function requireAdmin(deps: Pick<AppDeps, 'env'>): MiddlewareHandler {
  const expected = Buffer.from(deps.env.ADMIN_TOKEN);
  return async (_c, next) => {
    const header = _c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    const given = Buffer.from(m?.[1] ?? '');
    if (!m || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new DomainError('admin_token_required', undefined, { headers: { 'www-authenticate': 'Bearer' } });
    }
    await next();
  };
}
