import { z } from 'zod';

/**
 * The webhook settings, merged into the one env schema in server/env.ts (parsed once at start).
 * Every default suits `npm start` on one machine; tests shorten the timings.
 */
export const webhookEnvShape = {
  /** Hours the previous secret keeps signing (and verifying) after a rotation. */
  WEBHOOK_SECRET_GRACE_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 30)
    .default(24),
  /** Whole-exchange timeout per delivery attempt, in ms. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Requests in flight per partner: one slow partner can hold at most this many. */
  WEBHOOK_PARTNER_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(16),
  /**
   * How often an idle dispatcher looks for retries falling due, in ms. New outbox rows are
   * noticed within ~2 ms anyway (it watches SQLite's data_version).
   */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(1).max(60_000).default(100),
  /**
   * Where the dispatcher runs inside `npm start`: `worker` (its own thread and event loop, so
   * deliveries never queue behind HTTP intake), `inline` (same event loop), or `off` (run
   * `npm run dispatcher` separately).
   */
  WEBHOOK_DISPATCHER: z.enum(['worker', 'inline', 'off']).default('worker'),
  /** Delay between the sandbox partners' status steps, in ms. */
  PARTNERS_SANDBOX_STEP_MS: z.coerce.number().int().min(0).max(600_000).default(2000),
};
