import { afterEach, describe, expect, it } from 'vitest';
import { createDeliveryAgent, sendWebhook } from '../../server/webhooks/http-client';

// The attempt's timeout covers the whole exchange, including the time before a connection exists
// (a partner whose name resolves slowly, or whose address does not answer the SYN).
describe('sendWebhook timeout', () => {
  const agents: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.close().catch(() => {})));
  });

  it('ends an attempt still waiting for its connection when the deadline passes', async () => {
    const agent = createDeliveryAgent({
      allowPrivate: true,
      connections: 2,
      // The name takes 2.5 s to resolve: longer than the attempt may last, shorter than the DNS limit.
      resolve: () =>
        new Promise((resolve) => setTimeout(() => resolve([{ address: '127.0.0.1', family: 4 }]), 2500)),
    });
    agents.push(agent);
    const started = performance.now();
    const result = await sendWebhook(agent, 'http://slow-dns.example:9/hook', {}, '{}', 300);
    const took = performance.now() - started;
    expect(result.statusCode).toBeNull();
    expect(result.error).toMatch(/timeout/);
    expect(took).toBeLessThan(1000);
    expect(result.durationMs).toBeLessThan(1000);
  });
});
