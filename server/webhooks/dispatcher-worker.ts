import { parentPort, workerData } from 'node:worker_threads';
import type { Env } from '../env';
import { startDispatcher } from './run';

// Entry point of the dispatcher thread started by `startDispatcherThread`.
const { env, exemptHosts } = workerData as { env: Env; exemptHosts: string[] };
const run = startDispatcher(env, { exemptHosts });
parentPort?.on('message', (m: unknown) => {
  if (m === 'kick') run.kick();
  if (m === 'stop') {
    void run.stop().then(() => process.exit(0));
  }
});
