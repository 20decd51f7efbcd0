import { Worker } from 'node:worker_threads';
import { openDatabase } from '../db/client';
import type { Env } from '../env';
import { Dispatcher } from './dispatcher';

export interface DispatcherRunOptions {
  exemptHosts?: string[];
  log?: (line: string) => void;
}

/**
 * A dispatcher on its own connection to `DATABASE_PATH`. Its writes (claims, results, the
 * attempt log) run at synchronous=NORMAL: losing the last of them in a power cut only means a
 * message is sent again with the same webhook-id, which partners dedupe anyway; order writes on
 * the server's connection keep synchronous=FULL. See docs/decisions/022.
 */
export function startDispatcher(env: Env, options: DispatcherRunOptions = {}) {
  const { sqlite } = openDatabase(env.DATABASE_PATH, { synchronous: 'NORMAL', migrate: false });
  const dispatcher = new Dispatcher({
    sqlite,
    retrySchedule: env.WEBHOOK_RETRY_SCHEDULE,
    allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    partnerConcurrency: env.WEBHOOK_PARTNER_CONCURRENCY,
    pollMs: env.WEBHOOK_POLL_MS,
    exemptHosts: options.exemptHosts,
    log: options.log ?? ((line) => console.log(line)),
  });
  dispatcher.start();
  return {
    dispatcher,
    kick: () => dispatcher.kick(),
    stop: async () => {
      await dispatcher.stop();
      sqlite.close();
    },
  };
}

/**
 * The dispatcher in a worker thread: its own event loop (and, on a multi-core machine, its own
 * core), so deliveries keep flowing while the main thread is saturated with HTTP intake, and a
 * burst of deliveries never adds latency to shoppers' requests. See docs/decisions/023.
 */
export function startDispatcherThread(env: Env, options: { exemptHosts?: string[] } = {}) {
  let stopping = false;
  let worker: Worker;
  let exit: Promise<void>;
  let exited = false;
  const spawn = () => {
    exited = false;
    worker = new Worker(new URL('./dispatcher-worker.mjs', import.meta.url), {
      workerData: { env, exemptHosts: options.exemptHosts ?? [] },
    });
    worker.on('error', (e) => console.error('dispatcher thread failed:', e));
    exit = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        exited = true;
        resolve();
        // A dispatcher that dies is started again: its claims lapse and are taken over.
        if (!stopping) {
          console.error(`dispatcher thread exited (${code}); restarting in 1 s`);
          setTimeout(() => {
            if (!stopping) spawn();
          }, 1000).unref();
        }
      }),
    );
  };
  spawn();
  return {
    kick: () => {
      if (!exited) worker.postMessage('kick');
    },
    stop: async () => {
      stopping = true;
      if (exited) return;
      worker.postMessage('stop');
      const timeout = setTimeout(() => void worker.terminate(), env.WEBHOOK_TIMEOUT_MS + 1000);
      await exit;
      clearTimeout(timeout);
    },
  };
}
