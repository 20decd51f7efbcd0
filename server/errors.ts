import type { z } from 'zod';

/** One field (or configuration module) at fault. `path` is dotted: `lines.0.quantity`, `size`. */
export interface FieldError {
  path: string;
  code: string;
  message: string;
  /** A broken catalog rule (`code: "rule"`): its id. */
  rule?: string;
  /** A broken catalog rule: every module it involves (paths like `path`); changing any one resolves it. */
  modules?: string[];
}

/**
 * Every problem the API can answer with: HTTP status and a human title, in ONE table. The
 * `type` URI of a problem is `PROBLEM_BASE + code` and never changes once published.
 */
export const PROBLEMS = {
  bad_request: { status: 400, title: 'Bad request' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  idempotency_key_missing: { status: 400, title: 'An Idempotency-Key header is required' },
  unauthenticated: { status: 401, title: 'Sign in first' },
  invalid_credentials: { status: 401, title: 'Wrong email or password' },
  admin_token_required: { status: 401, title: 'A valid admin bearer token is required' },
  webhook_signature_invalid: { status: 401, title: 'The webhook signature is missing, wrong or too old' },
  forbidden: { status: 403, title: 'Forbidden' },
  cross_site_request: { status: 403, title: 'Cross-site request refused' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  email_taken: { status: 409, title: 'An account with this email already exists' },
  idempotency_in_flight: {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed',
  },
  order_not_cancellable: { status: 409, title: 'This order can no longer be cancelled' },
  request_timeout: { status: 408, title: 'The request was not received in time' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Send the body as application/json' },
  validation_failed: { status: 422, title: 'The request is not valid' },
  invalid_configuration: { status: 422, title: 'The configuration is not valid' },
  idempotency_key_reused: {
    status: 422,
    title: 'This Idempotency-Key was already used with a different request',
  },
  unroutable: { status: 422, title: 'No partner can make or ship this order' },
  rate_limited: { status: 429, title: 'Too many attempts; try again later' },
  request_header_fields_too_large: { status: 431, title: 'The request headers are too large' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export const PROBLEM_BASE = 'https://tailorloop.dev/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

/** A failure the domain knows about. Services throw it; the HTTP edge maps it with `toProblem`. */
export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    detail?: string,
    readonly options: {
      errors?: FieldError[];
      /** Extra members for the problem body (e.g. `retryAfter`). */
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(detail ?? PROBLEMS[code].title);
    this.name = 'DomainError';
  }
  get status(): number {
    return PROBLEMS[this.code].status;
  }
}

export function problem(
  code: ProblemCode,
  detail?: string,
  errors?: FieldError[],
  extra?: Record<string, unknown>,
): Problem {
  const p = PROBLEMS[code];
  return {
    type: PROBLEM_BASE + code,
    title: p.title,
    status: p.status,
    code,
    ...(detail !== undefined ? { detail } : {}),
    ...(errors ? { errors } : {}),
    ...extra,
  };
}

export function toProblem(e: DomainError): Problem {
  return problem(
    e.code,
    e.message === PROBLEMS[e.code].title ? undefined : e.message,
    e.options.errors,
    e.options.extra,
  );
}

/**
 * A zod failure as field errors (`path` dotted, `code` the zod issue code, or for a custom check
 * the domain code it names in `params.code`, e.g. `unknown_module`).
 */
export function zodFieldErrors(error: Pick<z.ZodError, 'issues'>, prefix: string[] = []): FieldError[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path.map(String)].join('.') || '(body)',
    code: i.code === 'custom' && typeof i.params?.code === 'string' ? i.params.code : i.code,
    message: i.message,
  }));
}

export function validationError(
  error: Pick<z.ZodError, 'issues'>,
  detail = 'Some fields are missing or wrong',
): DomainError {
  return bodyError(zodFieldErrors(error), detail);
}

/**
 * The 422 for a body's field errors. When all of them are modules no product has (`__proto__`,
 * which zod's record would drop, is refused before the engine sees it), it is the problem the
 * engine gives any other unknown module, `invalid_configuration`: one mistake, one problem type.
 */
export function bodyError(errors: FieldError[], detail = 'Some fields are missing or wrong'): DomainError {
  if (errors.length > 0 && errors.every((e) => e.code === 'unknown_module'))
    return new DomainError(
      'invalid_configuration',
      'The selection names modules or options this product does not have',
      { errors },
    );
  return new DomainError('validation_failed', detail, { errors });
}
