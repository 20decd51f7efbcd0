import type { Context } from 'hono';
import type { z } from 'zod';
import { DomainError, type Problem, validationError } from '../errors';

/** Sends an RFC 9457 problem document. */
export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

/** The JSON body, or a 400 problem when it is empty or not JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '')
    throw new DomainError('malformed_json', 'The request body is empty; send a JSON document');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DomainError('malformed_json', (e as Error).message);
  }
}

/** The JSON body checked against `schema`: 400 for bad JSON, 422 listing every wrong field. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const body = await readJson(c);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Query parameters checked against `schema` (422 on a wrong value). */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error, 'Some query parameters are wrong');
  return parsed.data;
}
