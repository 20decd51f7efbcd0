import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { webhookEnvShape } from './webhooks/settings';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const retrySchedule = z
  .string()
  .regex(/^\s*\d+(\.\d+)?\s*(,\s*\d+(\.\d+)?\s*)*$/, 'a comma-separated list of seconds, e.g. 5,300,1800')
  .transform((s) => s.split(',').map((x) => Number(x.trim())));

/** An IP address, or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`), or why not. */
function addressOrBlockProblem(entry: string): string | undefined {
  const [address = '', bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length) return `"${entry}" is not an IP address or a CIDR block`;
  if (bits === undefined) return undefined;
  const max = version === 6 ? 128 : 32;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max)
    return `"${entry}": the prefix length must be 0 to ${max}`;
  return undefined;
}

const addressList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()))
  .superRefine((entries, ctx) => {
    for (const entry of entries) {
      const problem = addressOrBlockProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', message: `${problem} (a comma-separated list)` });
    }
  });

/**
 * Every setting the server reads, with the default that makes `npm start` work on one machine.
 * Parsed once at start; a bad value stops the process with every problem listed.
 */
export const envSchema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).default('./data/tailorloop.db'),
  /** Folder with products/*.json and partners.json (default: the repository's catalog/). */
  CATALOG_DIR: z.string().min(1).optional(),
  /** Operator bearer token; at least 16 characters in production, shorter ones only warn elsewhere. */
  ADMIN_TOKEN: z.string().optional(),
  PARTNERS_SANDBOX: flag.default(true),
  WEBHOOK_ALLOW_PRIVATE: flag.optional(),
  WEBHOOK_RETRY_SCHEDULE: retrySchedule.default([5, 300, 1800, 7200, 18000, 36000, 36000]),
  /** `synchronous` pragma: FULL makes an acknowledged order survive a power cut (see docs/decisions/010). */
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  /** `0` commits every order in its own transaction (for comparison); see docs/decisions/012. */
  GROUP_COMMIT: flag.default(true),
  /** `0` never builds the site at start (serve dist/web if present, else a placeholder). */
  SITE_BUILD: flag.default(true),
  /** Largest accepted request body in bytes. */
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Session lifetime in seconds (default 30 days), however much it is used. */
  SESSION_TTL: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3600),
  /** Seconds a session may go unused before it ends (default 14 days; see docs/decisions/011). */
  SESSION_IDLE_TIMEOUT: z.coerce
    .number()
    .int()
    .min(60)
    .default(14 * 24 * 3600),
  /**
   * Accounts one client address (an IPv6 client: its /64) may register per hour, a taken email's
   * 409 included. Room for a shop's customers behind one NAT (an office, a campus, a mobile
   * carrier), few enough that registering in a loop or probing for emails gets nowhere
   * (docs/decisions/015-security-review.md, addendum).
   */
  REGISTRATIONS_PER_HOUR: z.coerce.number().int().positive().default(20),
  /**
   * Seconds a client has to send a whole request (headers within min(this, 10)). Slow clients
   * holding sockets open with a byte at a time are cut off with 408 (Node's defaults: 60 s / 300 s).
   */
  REQUEST_TIMEOUT: z.coerce.number().positive().max(3600).default(30),
  /**
   * Reverse proxies (addresses or CIDR blocks, comma-separated) whose `X-Forwarded-For` is believed.
   * A request from one of them is counted, for the sign-in and registration limits, under the
   * address its proxy chain names (the rightmost one that is not itself a trusted proxy); from
   * anyone else the header is ignored. Unset: the socket's peer address, as without a proxy.
   */
  TRUSTED_PROXIES: addressList.default([]),
  /** `1` marks the session cookie Secure + `__Host-` even on plain http (behind a TLS proxy). */
  COOKIE_SECURE: flag.optional(),
  /**
   * scrypt cost exponent (N = 2^x). 17 is OWASP strength; tests may lower it, NODE_ENV=production
   * refuses anything below 17 (a test setting copied into a deployment must not weaken every hash).
   */
  SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(17),
  /** `1` lets NODE_ENV=production run a lowered SCRYPT_LOG_N anyway: for benchmarks only, never a shop. */
  SCRYPT_WEAK_FOR_TESTS: flag.default(false),
  ...webhookEnvShape,
});

export type EnvInput = z.input<typeof envSchema>;
export type Env = Omit<z.output<typeof envSchema>, 'ADMIN_TOKEN' | 'WEBHOOK_ALLOW_PRIVATE'> & {
  ADMIN_TOKEN: string;
  /** True when ADMIN_TOKEN was not set and a random one was generated (print it at start). */
  ADMIN_TOKEN_GENERATED: boolean;
  WEBHOOK_ALLOW_PRIVATE: boolean;
  isProduction: boolean;
  /** Settings that work but should not be used for real (print them at start). */
  warnings: string[];
};

const ADMIN_TOKEN_MIN = 16;
/** OWASP's scrypt minimum (N = 2^17, r = 8, p = 1). */
export const SCRYPT_LOG_N_MIN = 17;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses settings from `source` (process.env by default); empty strings count as unset. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const clean: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const v = source[key];
    if (v !== undefined && v.trim() !== '') clean[key] = v.trim();
  }
  const parsed = envSchema.safeParse(clean);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? '');
        return `${key}=${JSON.stringify(clean[key] ?? '')}: ${i.message}`;
      }),
    );
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const warnings: string[] = [];
  if (e.ADMIN_TOKEN !== undefined && e.ADMIN_TOKEN.length < ADMIN_TOKEN_MIN) {
    // A short token is guessable: refused where it guards real data, tolerated for local runs and
    // test harnesses (integrators' CI often sets something like ADMIN_TOKEN=admin).
    const problem = `ADMIN_TOKEN has ${e.ADMIN_TOKEN.length} characters: use at least ${ADMIN_TOKEN_MIN}`;
    if (isProduction) throw new EnvError([problem]);
    warnings.push(`${problem} (NODE_ENV=production refuses it)`);
  }
  if (e.SCRYPT_LOG_N < SCRYPT_LOG_N_MIN) {
    const problem = `SCRYPT_LOG_N=${e.SCRYPT_LOG_N} hashes passwords below OWASP strength (${SCRYPT_LOG_N_MIN})`;
    if (isProduction && !e.SCRYPT_WEAK_FOR_TESTS)
      throw new EnvError([`${problem} (SCRYPT_WEAK_FOR_TESTS=1 allows it for a benchmark)`]);
    warnings.push(`${problem}; for tests only (NODE_ENV=production refuses it)`);
  }
  return {
    ...e,
    ADMIN_TOKEN: e.ADMIN_TOKEN ?? randomBytes(24).toString('base64url'),
    ADMIN_TOKEN_GENERATED: e.ADMIN_TOKEN === undefined,
    WEBHOOK_ALLOW_PRIVATE: e.WEBHOOK_ALLOW_PRIVATE ?? !isProduction,
    isProduction,
    warnings,
  };
}
