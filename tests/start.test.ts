import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { plainJeans } from '../catalog/engine/test-fixtures';
import { loadCatalogFromDisk } from '../server/catalog-files';
import { checkCatalogVersions } from '../server/catalog-versions';
import { openDatabase } from '../server/db/client';

// `npm start` for real: a free port (PORT=0), a temp database, no sandbox partners; an order over a socket.

const JEANS = plainJeans;

// PORT=0 and the address the server announces: a port found free beforehand and given to
// `npm start` could be taken by any other socket of the suite before the server bound it.
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

/** The problem document of a raw HTTP answer, checking it is labelled as one and fully sent. */
function problemOf(answer: string): { status: number; type: string; title: string } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  expect(head).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
  expect(Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1])).toBe(Buffer.byteLength(body));
  return JSON.parse(body) as { status: number; type: string; title: string };
}

let child: ChildProcess;
let base: string;
let output = '';
const dir = mkdtempSync(join(tmpdir(), 'tailorloop-start-'));

beforeAll(async () => {
  child = spawn('npm', ['start'], {
    cwd: join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: join(dir, 'shop.db'),
      PARTNERS_SANDBOX: '0',
      SITE_BUILD: '0',
      ADMIN_TOKEN: '',
      NODE_ENV: 'development',
      REQUEST_TIMEOUT: '3',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 30_000;
  while (!LISTENING.test(output)) {
    if (child.exitCode !== null) throw new Error(`npm start exited: ${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not listen in 30 s: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  base = LISTENING.exec(output)![1]!;
}, 40_000);

afterAll(async () => {
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('prints the catalog summary and a generated admin token', async () => {
    // The token line is written right after "listening on" but may reach this pipe in a later chunk.
    await vi.waitFor(
      () => {
        expect(output).toMatch(/jeans .*valid configurations/);
        expect(output).toMatch(/ADMIN_TOKEN \(generated for this run\): \S{20,}/);
      },
      { timeout: 5000, interval: 50 },
    );
  });

  it('serves health, the shop page and the API over a real socket, and takes an order', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/`)).status).toBe(200);
    const reg = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'socket@example.com',
        password: 'correct horse battery',
        name: 'Socket',
      }),
    });
    expect(reg.status).toBe(201);
    const cookie = reg.headers.get('set-cookie')!.split(';')[0]!;
    const body = JSON.stringify({
      lines: [{ productId: 'jeans', selection: JEANS, quantity: 1 }],
      shipTo: { name: 'Socket', line1: '1 Loop St', city: 'Reno', postalCode: '89501', country: 'US' },
    });
    const headers = { 'content-type': 'application/json', cookie, 'idempotency-key': 'socket-1' };
    const placed = await fetch(`${base}/api/orders`, { method: 'POST', headers, body });
    expect(placed.status).toBe(201);
    const order = (await placed.json()) as { id: string; threePlId: string };
    expect(order.threePlId).toBe('3pl-na');
    const replay = await fetch(`${base}/api/orders`, { method: 'POST', headers, body });
    expect(((await replay.json()) as { id: string }).id).toBe(order.id);
    const read = await fetch(`${base}/api/orders/${order.id}`, { headers: { cookie } });
    expect(read.status).toBe(200);
  });

  it('answers an oversized upload with a readable 413 every time, not a reset mid-write', async () => {
    const lines = Array.from({ length: 10_000 }, () => ({
      productId: 'jeans',
      selection: JEANS,
      quantity: 1,
    }));
    for (const body of [
      JSON.stringify({ lines, shipTo: {} }),
      JSON.stringify({ pad: 'x'.repeat(10_000_000) }),
    ]) {
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${base}/api/quote`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect(r.status).toBe(413);
        expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(((await r.json()) as { type: string }).type).toMatch(/payload_too_large/);
      }
    }
    // Without a Content-Length (chunked), the body is counted as it arrives.
    const chunk = new TextEncoder().encode('x'.repeat(256 * 1024));
    const r = await fetch(`${base}/api/quote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(chunk);
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(r.status).toBe(413);
    expect(((await r.json()) as { type: string }).type).toMatch(/payload_too_large/);
    // A chunked body under the limit is read and answered normally.
    const small = await fetch(`${base}/api/quote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(JSON.stringify({ lines: [] })));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(small.status).not.toBe(413);
    expect(small.headers.get('content-type')).toMatch(/json/);
  });

  it('does not let a slow client hold a connection: headers and body each have a deadline', async () => {
    // Slowloris: a byte every half second keeps any idle timer alive; only a deadline for the
    // whole request ends it (Node's defaults were 60 s for headers and 300 s for the body).
    const held = (first: string, drip: string) =>
      new Promise<{ seconds: number; answer: string }>((resolve) => {
        const started = Date.now();
        let answer = '';
        const socket = connect(Number(new URL(base).port), '127.0.0.1', () => socket.write(first));
        const timer = setInterval(() => socket.writable && socket.write(drip), 500);
        socket.on('data', (d) => (answer += d));
        socket.on('error', () => {});
        socket.on('close', () => {
          clearInterval(timer);
          resolve({ seconds: (Date.now() - started) / 1000, answer });
        });
        setTimeout(() => socket.destroy(), 20_000);
      });
    const [headers, body] = await Promise.all([
      held('POST /api/auth/login HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n'),
      held(
        'POST /api/auth/login HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n',
        ' ',
      ),
    ]);
    for (const r of [headers, body]) {
      expect(r.seconds).toBeLessThan(10);
      expect(r.answer).toMatch(/^HTTP\/1\.1 408/);
      expect(problemOf(r.answer)).toMatchObject({
        status: 408,
        type: expect.stringMatching(/request_timeout$/),
      });
    }
  }, 30_000);

  it('answers a request Node cannot read (headers too large, not HTTP) with a problem document, not a bare status line', async () => {
    const once = (request: string) =>
      new Promise<string>((resolve) => {
        let answer = '';
        const socket = connect(Number(new URL(base).port), '127.0.0.1', () => socket.write(request));
        socket.on('data', (d) => (answer += d));
        socket.on('error', () => {});
        socket.on('close', () => resolve(answer));
        setTimeout(() => socket.destroy(), 10_000);
      });
    // A 20 KB cookie: over Node's 16 KB header limit.
    const big = await once(
      `GET /api/me HTTP/1.1\r\nHost: x\r\nCookie: tl_session=${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(problemOf(big)).toMatchObject({ status: 431, title: expect.any(String) });
    for (const garbage of [
      'NOT HTTP AT ALL\r\n\r\n',
      'POST /api/quote HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    ]) {
      const answer = await once(garbage);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(problemOf(answer)).toMatchObject({ status: 400, type: expect.stringMatching(/bad_request$/) });
    }
    // The server is still there for the next client.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe('npm start with a database it cannot use', () => {
  it('says so in one readable line and exits 1, for a folder and for a path under a file', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'tailorloop-baddb-'));
    writeFileSync(join(bad, 'plain-file'), 'not a folder');
    try {
      for (const path of [bad, join(bad, 'plain-file', 'shop.db')]) {
        const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
          cwd: join(import.meta.dirname, '..'),
          env: { ...process.env, DATABASE_PATH: path, PORT: '0', SITE_BUILD: '0', PARTNERS_SANDBOX: '0' },
          encoding: 'utf8',
          timeout: 30_000,
        });
        expect(run.status).toBe(1);
        expect(run.stderr).toContain(`Cannot use the database at ${path}`);
        expect(run.stderr).not.toMatch(/^\s+at /m);
      }
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm start with a product changed under a version already served', () => {
  it('lists it as a catalog problem (file and version) and exits 1, before serving anything', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tailorloop-version-'));
    try {
      const root = join(import.meta.dirname, '..');
      cpSync(join(root, 'catalog'), join(home, 'catalog'), { recursive: true });
      // The shop served this catalog once (recorded as npm start records it)...
      const { sqlite } = openDatabase(join(home, 'shop.db'));
      expect(checkCatalogVersions(sqlite, loadCatalogFromDisk(join(home, 'catalog')))).toEqual([]);
      sqlite.close();
      // ...then the jeans' price was edited without a new version.
      const file = join(home, 'catalog', 'products', 'jeans.json');
      const jeans = JSON.parse(readFileSync(file, 'utf8'));
      jeans.basePrice += 500;
      writeFileSync(file, JSON.stringify(jeans, null, 2));
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_PATH: join(home, 'shop.db'),
          CATALOG_DIR: join(home, 'catalog'),
          PORT: '0',
          SITE_BUILD: '0',
          PARTNERS_SANDBOX: '0',
        },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(
        /jeans\.json: version: product "jeans" changed since version \S+ was first served/,
      );
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stdout).not.toContain('listening on');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm start on a port already taken', () => {
  it('says so in one readable line and exits 1', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as { port: number }).port;
    const home = mkdtempSync(join(tmpdir(), 'tailorloop-port-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: join(import.meta.dirname, '..'),
        env: {
          ...process.env,
          DATABASE_PATH: join(home, 'shop.db'),
          PORT: String(port),
          HOST: '127.0.0.1',
          SITE_BUILD: '0',
          PARTNERS_SANDBOX: '0',
        },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`Cannot listen on 127.0.0.1:${port} (EADDRINUSE`);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    } finally {
      taken.close();
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm start and SIGTERM', () => {
  it('a SIGTERM sent to npm itself stops the server (npm does not leave it running orphaned)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tailorloop-npmterm-'));
    const npm = spawn('npm', ['start'], {
      cwd: join(import.meta.dirname, '..'),
      env: {
        ...process.env,
        PORT: '0',
        DATABASE_PATH: join(home, 'shop.db'),
        PARTNERS_SANDBOX: '0',
        SITE_BUILD: '0',
        NODE_ENV: 'development',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout!.on('data', (d) => (out += d));
    npm.stderr!.on('data', (d) => (out += d));
    let url = '';
    const answers = async () => {
      try {
        return (await fetch(`${url}/healthz`)).status === 200;
      } catch {
        return false;
      }
    };
    try {
      await vi.waitFor(
        () => {
          if (!LISTENING.test(out)) throw new Error(`not listening yet: ${out}`);
        },
        { timeout: 30_000, interval: 100 },
      );
      url = LISTENING.exec(out)![1]!;
      expect(await answers()).toBe(true);
      npm.kill('SIGTERM'); // npm's own pid, as a process manager would
      await vi.waitFor(
        async () => {
          if (await answers()) throw new Error('the server still answers');
        },
        { timeout: 8000, interval: 200 },
      );
      await vi.waitFor(() => expect(out).toContain('SIGTERM: shutting down'), { timeout: 5000 });
    } finally {
      npm.kill('SIGKILL');
      // Whatever npm started, by port: nothing may be left listening.
      if (url) spawnSync('sh', ['-c', `fuser -k ${new URL(url).port}/tcp 2>/dev/null || true`]);
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
