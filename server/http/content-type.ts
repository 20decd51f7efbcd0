import type { Context } from 'hono';
import { DomainError } from '../errors';

/**
 * Refuses bodies labelled as HTML form encodings on the JSON API with 415. These are the types a
 * `<form>` on another site can send without a CORS preflight, so refusing them shuts the classic
 * CSRF door even for a browser that sends no `Origin` (the Origin check is the first line); and a
 * JSON endpoint can never make sense of them. Every other label is read as JSON, on purpose:
 * `application/json` and `*+json`, no header at all, and `text/plain;charset=UTF-8`, which is what
 * a browser's `fetch(url, { body: JSON.stringify(x) })` sends when the integrator sets no header.
 * Called by originCheck for every mutation but partner events (their bytes are checked by
 * signature, docs/webhooks.md).
 */
export function refuseFormBody(c: Context): void {
  const type = c.req.header('content-type');
  if (type === undefined) return;
  const media = type.split(';', 1)[0]!.trim().toLowerCase();
  if (media !== 'application/x-www-form-urlencoded' && !media.startsWith('multipart/')) return;
  const accept = c.req.method === 'PATCH' ? 'accept-patch' : 'accept-post';
  throw new DomainError('unsupported_media_type', `A ${media} body is not taken here; send JSON`, {
    headers: { [accept]: 'application/json' },
  });
}
