import { EnvError, loadEnv } from '../env';
import { startDispatcher } from './run';

// `npm run dispatcher`: the dispatcher alone, against the same DATABASE_PATH as the server (run
// the server with WEBHOOK_DISPATCHER=off, or keep both: leases keep them from double-sending).
let env: ReturnType<typeof loadEnv>;
try {
  env = loadEnv();
} catch (e) {
  if (e instanceof EnvError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
const run = startDispatcher(env);
console.log(`dispatcher: delivering from ${env.DATABASE_PATH}`);
const stop = (signal: string) => {
  console.log(`${signal}: dispatcher finishing requests in flight`);
  void run.stop().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
