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

/**
 * Decodes a request body as UTF-8, the only encoding JSON travels in (RFC 8259 §8.1); a leading
 * byte-order mark is dropped. Bytes that are not UTF-8 are a 400: decoding them leniently turned
 * them into U+FFFD and stored that in names and addresses (a Latin-1 "Zoë" became "Zo\uFFFD" on
 * the shipping label) while the request was answered 2xx.
 */
export function decodeUtf8(bytes: ArrayBuffer | Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new DomainError(
      'malformed_json',
      'The request body is not valid UTF-8; send JSON encoded as UTF-8',
    );
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The request body as text (strict UTF-8, see decodeUtf8). */
export async function readText(c: Context): Promise<string> {
  return decodeUtf8(await c.req.arrayBuffer());
}

/** The JSON body, or a 400 problem when it is empty, not UTF-8 or not JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await readText(c);
  if (text.trim() === '')
    throw new DomainError('malformed_json', 'The request body is empty; send a JSON document');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DomainError('malformed_json', (e as Error).message);
  }
}

/**
 * The JSON body checked against `schema`: 400 for bad JSON, 422 listing every wrong field. With
 * `modulesOf`, the errors inside that field are a configuration's and name the module alone
 * (`fit`, not `selection.fit`), as configure and quote name every module at fault (CONTRACT: "for
 * a configuration: `path` names the module").
 */
export async function parseBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  options: { modulesOf?: string } = {},
): Promise<z.output<S>> {
  const body = await readJson(c);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const field = options.modulesOf;
    const issues = field
      ? parsed.error.issues.map((i) =>
          i.path.length > 1 && i.path[0] === field ? { ...i, path: i.path.slice(1) } : i,
        )
      : parsed.error.issues;
    throw validationError({ issues });
  }
  return parsed.data;
}

/** Query parameters checked against `schema` (422 on a wrong value). */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error, 'Some query parameters are wrong');
  return parsed.data;
}
