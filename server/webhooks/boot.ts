import type { AppDeps } from '../deps';
import { forgetSandboxUrls, startSandbox } from '../sandbox/partners';
import { startDispatcher, startDispatcherThread } from './run';

/**
 * Starts what `npm start` runs besides HTTP: the sandbox partners (unless PARTNERS_SANDBOX=0)
 * and the dispatcher (WEBHOOK_DISPATCHER=worker|inline|off). Called once the server listens,
 * because the sandbox posts status back to it.
 */
export async function startWebhookServices(deps: AppDeps, listening: { address: string; port: number }) {
  const { env } = deps;
  const host =
    listening.address === '0.0.0.0' || listening.address === '::' || listening.address === ''
      ? '127.0.0.1'
      : listening.address.includes(':')
        ? `[${listening.address}]`
        : listening.address;
  if (!env.PARTNERS_SANDBOX) {
    // URLs a sandbox of an earlier run gave out now point at nothing: clear them, so messages wait
    // as pending for a real URL instead of burning their retries on a closed port.
    const cleared = forgetSandboxUrls(deps.sqlite);
    if (cleared > 0)
      console.log(`sandbox off: cleared ${cleared} partner URL(s) that pointed at an earlier sandbox`);
  }
  const sandbox = env.PARTNERS_SANDBOX
    ? await startSandbox({
        sqlite: deps.sqlite,
        serverUrl: `http://${host}:${listening.port}`,
        stepMs: env.PARTNERS_SANDBOX_STEP_MS,
        log: (line) => console.log(line),
      })
    : null;
  // The sandbox lives on loopback; it stays reachable even where private addresses are refused.
  const exemptHosts = sandbox?.hosts ?? [];
  const dispatcher =
    env.WEBHOOK_DISPATCHER === 'worker'
      ? startDispatcherThread(env, { exemptHosts })
      : env.WEBHOOK_DISPATCHER === 'inline'
        ? startDispatcher(env, { exemptHosts })
        : null;
  console.log(
    dispatcher
      ? `webhook dispatcher running (${env.WEBHOOK_DISPATCHER}; retry schedule ${env.WEBHOOK_RETRY_SCHEDULE.join(',')} s)`
      : 'webhook dispatcher off here (WEBHOOK_DISPATCHER=off): run `npm run dispatcher`',
  );
  return {
    kick: () => dispatcher?.kick(),
    stop: async () => {
      await dispatcher?.stop();
      await sandbox?.close();
    },
  };
}
