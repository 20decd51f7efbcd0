import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist', 'web');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the site into dist/web when it is missing or older than web/ or catalog/. */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(join(DIST, 'index.html')).mtimeMs;
  } catch {
    built = 0;
  }
  if (built > Math.max(newest(join(ROOT, 'web')), newest(join(ROOT, 'catalog', 'engine')))) return;
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      // Under vitest NODE_ENV is "test", which would make Vite resolve Solid's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface RunningShop {
  /** Where the browser goes: the server itself once it serves the site. */
  url: string;
  /** The API server's own address. */
  apiUrl: string;
  logs: string[];
  dbPath: string;
  /** Stops the server (the database stays until `cleanup`). */
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * Starts the real server the way `npm start` does (node --import tsx server/main.ts) on a free
 * port with a temporary database and fast webhook retries. Until the server serves dist/web
 * itself, a small static front in this process serves the site and forwards /api to it.
 */
export async function startShop(
  /** `entry`: another server entry (to try a scenario against a patched copy of the server). */
  opts: { env?: Record<string, string>; dbDir?: string; entry?: string } = {},
): Promise<RunningShop> {
  ensureBuilt();
  const dir = opts.dbDir ?? mkdtempSync(join(tmpdir(), 'tailorloop-e2e-'));
  const dbPath = join(dir, 'shop.db');
  const logs: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', opts.entry ?? join(ROOT, 'server', 'main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_PATH: dbPath,
        SCRYPT_LOG_N: '10',
        WEBHOOK_RETRY_SCHEDULE: '1,1,2,2,5',
        PARTNERS_SANDBOX: '1',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const apiUrl = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${logs.join('')}`)), 60_000);
    const onData = (b: Buffer) => {
      const text = b.toString();
      logs.push(text);
      const m = /listening on (http:\/\/[^\s]+)/.exec(logs.join(''));
      if (m) {
        clearTimeout(timer);
        ok(m[1]!.replace(/\/$/, ''));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => logs.push(b.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited (${code}):\n${logs.join('')}`));
    });
  });
  let front: Server | undefined;
  let url = apiUrl;
  const home = await fetch(`${apiUrl}/`).catch(() => undefined);
  if (!home?.headers.get('content-type')?.includes('text/html')) {
    front = await staticFront(apiUrl);
    url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  }
  const stop = async () => {
    await new Promise<void>((r) => (front ? front.close(() => r()) : r()));
    front = undefined;
    if (child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  };
  return {
    url,
    apiUrl,
    logs,
    dbPath,
    stop,
    async cleanup() {
      await stop();
      if (!opts.dbDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

function staticFront(apiUrl: string): Promise<Server> {
  const api = new URL(apiUrl);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/api/') || path === '/healthz') {
      const up = httpRequest(
        {
          host: api.hostname,
          port: api.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: api.host },
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => res.writeHead(502).end());
      req.pipe(up);
      return;
    }
    let file = join(DIST, path);
    if (!file.startsWith(DIST) || !extname(file)) file = join(DIST, 'index.html');
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(200, { 'content-type': TYPES['.html']! }).end(readFileSync(join(DIST, 'index.html')));
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
