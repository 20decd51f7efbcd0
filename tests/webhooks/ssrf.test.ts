import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryAgent, sendWebhook } from '../../server/webhooks/http-client';
import { checkPartnerUrl, classifyAddress, type Resolver } from '../../server/webhooks/ssrf';

describe('classifyAddress', () => {
  const cases: [string, string | null][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['192.0.2.1', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['240.0.0.1', 'reserved'],
    // public
    ['8.8.8.8', null],
    ['1.1.1.1', null],
    ['172.32.0.1', null],
    ['100.128.0.1', null],
    ['2606:4700:4700::1111', null],
    ['::ffff:8.8.8.8', null],
    ['not-an-ip', 'invalid'],
  ];
  it.each(cases)('%s → %s', (addr, cls) => {
    expect(classifyAddress(addr)).toBe(cls);
  });
});

describe('checkPartnerUrl (when an operator saves a URL)', () => {
  const fakeDns: Resolver = async (host) => {
    const table: Record<string, string[]> = {
      'rebind.example': ['127.0.0.1'],
      'mixed.example': ['93.184.216.34', '10.0.0.5'],
      'public.example': ['93.184.216.34'],
      'mapped.example': ['::ffff:192.168.0.1'],
    };
    const addrs = table[host];
    if (!addrs) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const check = (url: string, allowPrivate = false) =>
    checkPartnerUrl(url, { allowPrivate, resolve: fakeDns });

  it('accepts public http(s) URLs', async () => {
    expect((await check('https://public.example/hooks')).ok).toBe(true);
    expect((await check('http://93.184.216.34:8080/x')).ok).toBe(true);
  });
  it('refuses other schemes and garbage', async () => {
    expect(await check('ftp://public.example/')).toMatchObject({ ok: false, reason: 'scheme' });
    expect(await check('javascript:alert(1)')).toMatchObject({ ok: false, reason: 'scheme' });
    expect(await check('file:///etc/passwd')).toMatchObject({ ok: false, reason: 'scheme' });
    expect(await check('not a url')).toMatchObject({ ok: false, reason: 'invalid_url' });
  });
  it.each([
    'http://127.0.0.1/',
    'http://localhost:8787/',
    'http://api.localhost/',
    'http://[::1]/',
    'http://10.0.0.1/',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.1.1/',
    'http://224.0.0.1/',
    'http://0.0.0.0/',
    'http://[::ffff:127.0.0.1]/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://2130706433/', // decimal 127.0.0.1, normalised by WHATWG URL
    'http://0x7f.1/',
    'http://rebind.example/',
    'http://mixed.example/',
    'http://mapped.example/',
  ])('refuses %s', async (url) => {
    expect(await check(url)).toMatchObject({ ok: false, reason: 'unsafe_address' });
  });
  it('allows private addresses when WEBHOOK_ALLOW_PRIVATE=1', async () => {
    expect((await check('http://127.0.0.1:9/', true)).ok).toBe(true);
    expect((await check('http://rebind.example/', true)).ok).toBe(true);
  });
  it('accepts a name that does not resolve yet (the connect-time guard still applies)', async () => {
    expect((await check('https://not-yet.example/')).ok).toBe(true);
  });
});

describe('connect-time guard (the address actually dialled)', () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // A name that looked public when saved and now resolves to loopback: DNS rebinding.
  let answer = '93.184.216.34';
  const rebindingDns: Resolver = async () => [{ address: answer, family: 4 }];

  it('refuses to dial a hostname that now resolves to 127.0.0.1', async () => {
    answer = '127.0.0.1';
    const agent = createDeliveryAgent({ allowPrivate: false, connections: 2, resolve: rebindingDns });
    const before = hits;
    const res = await sendWebhook(agent, `http://partner.example:${port}/hook`, {}, '{}', 2000);
    expect(res.statusCode).toBeNull();
    expect(res.error).toMatch(/loopback/);
    expect(hits).toBe(before);
    await agent.close();
  });
  it('refuses IP literals and IPv4-mapped IPv6 literals of private classes', async () => {
    const agent = createDeliveryAgent({ allowPrivate: false, connections: 2 });
    for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '[::1]', '0.0.0.0']) {
      const res = await sendWebhook(agent, `http://${host}:${port}/hook`, {}, '{}', 2000);
      expect(res.statusCode, host).toBeNull();
      expect(res.error, host).toMatch(/partner URLs must be public/);
    }
    await agent.close();
  });
  it('dials the checked address when private addresses are allowed', async () => {
    answer = '127.0.0.1';
    const agent = createDeliveryAgent({ allowPrivate: true, connections: 2, resolve: rebindingDns });
    const res = await sendWebhook(agent, `http://partner.example:${port}/hook`, {}, '{}', 2000);
    expect(res.statusCode).toBe(204);
    await agent.close();
  });
});
