/**
 * `npm start` as a newcomer runs it: from an empty data folder to one "ready" line, every part
 * answering, a demo account that can sign in, and a clean stop on Ctrl-C (SIGINT) — on the
 * embedded defaults, and with DATABASE_URL / REDIS_URL pointing at the machine's real servers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';

const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface Stack {
  child: ChildProcess;
  output: string[];
  ports: { idp: number; api: number; web: number };
  dataDir: string;
  ready: string;
}

const running: Stack[] = [];
afterEach(() => {
  for (const s of running.splice(0)) {
    if (s.child.exitCode === null) s.child.kill('SIGKILL');
    rmSync(s.dataDir, { recursive: true, force: true });
  }
});

async function startStack(env: Record<string, string>): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stack-'));
  const ports = { idp: await freePort(), api: await freePort(), web: await freePort() };
  const child = spawn('node_modules/.bin/tsx', ['scripts/start.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      IDP_PORT: String(ports.idp),
      API_PORT: String(ports.api),
      WEB_PORT: String(ports.web),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const stack: Stack = { child, output, ports, dataDir, ready: '' };
  running.push(stack);
  stack.ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "ready" line in time:\n${output.join('')}`)),
      200_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const line = output
        .join('')
        .split('\n')
        .find((l) => /\bready\b/.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before "ready":\n${output.join('')}`));
    });
  });
  return stack;
}

async function stopWithSigint(stack: Stack) {
  const exited = new Promise<number | null>((r) => stack.child.once('exit', (code) => r(code)));
  stack.child.kill('SIGINT');
  expect(await exited).toBe(0);
  for (const p of Object.values(stack.ports)) {
    await expect(fetch(`http://127.0.0.1:${p}/health`)).rejects.toThrow();
  }
}

/** Signs in through the API's backend endpoint with the demo password the stack printed. */
async function loginAsDemo(stack: Stack) {
  const printed = /demo@example\.com\s+(\S+)/.exec(stack.output.join(''));
  expect(printed, 'demo credentials are printed').not.toBeNull();
  const res = await fetch(`http://127.0.0.1:${stack.ports.api}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@example.com', password: printed![1] }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string };
}

describe('npm start', () => {
  it('reaches ready on embedded defaults with every part answering, and stops cleanly on SIGINT', async () => {
    const stack = await startStack({ DATABASE_URL: '', REDIS_URL: '' });
    const { ports } = stack;
    expect(stack.ready).toContain(`http://localhost:${ports.web}`);
    expect(stack.ready).toContain(`http://127.0.0.1:${ports.api}`);
    expect(stack.ready).toContain(`http://127.0.0.1:${ports.idp}`);

    expect((await fetch(`http://127.0.0.1:${ports.idp}/health`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${ports.api}/ready`);
    expect(ready.status).toBe(200);
    const config = (await (await fetch(`http://127.0.0.1:${ports.web}/config.json`)).json()) as Record<
      string,
      string
    >;
    expect(config.apiUrl).toBe(`http://127.0.0.1:${ports.api}`);
    expect(config.cognitoEndpoint).toBe(`http://127.0.0.1:${ports.idp}`);
    const page = await fetch(`http://127.0.0.1:${ports.web}/items/some-client-route`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    // The printed demo account signs in and finds its seeded items (PGlite in DATA_DIR).
    const { access_token } = await loginAsDemo(stack);
    const items = await fetch(`http://127.0.0.1:${ports.api}/api/v1/items`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(((await items.json()) as { total: number }).total).toBeGreaterThan(0);
    // Passwords are generated per data folder and kept private to its owner.
    expect(readFileSync(join(stack.dataDir, 'demo-users.json'), 'utf8')).toContain('demo@example.com');
    expect(stack.output.join('')).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./); // no token ever printed

    await stopWithSigint(stack);
  });

  it('uses real Postgres and Redis when DATABASE_URL and REDIS_URL are set', async () => {
    const database = `stack_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    const url = new URL(ADMIN_DATABASE_URL);
    url.pathname = `/${database}`;
    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      const stack = await startStack({ DATABASE_URL: url.toString(), REDIS_URL: 'redis://127.0.0.1:6379' });
      expect(stack.output.join('')).toContain('database migrations (DATABASE_URL)');

      // Migrations and the seed went to the real database.
      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      const seeded = await db.query<{ n: string }>('select count(*) as n from items');
      await db.end();
      expect(Number(seeded.rows[0]!.n)).toBeGreaterThan(0);

      // A sign-in through the API counts against rate limits kept in the real Redis.
      const counters = async () => {
        const keys = await redis.keys('api:rl:login:*');
        const values = keys.length > 0 ? await redis.mget(keys) : [];
        return new Map(keys.map((k, i) => [k, Number(values[i] ?? 0)]));
      };
      const before = await counters();
      await loginAsDemo(stack);
      const after = await counters();
      const counted = [...after].filter(([k, n]) => n > (before.get(k) ?? 0));
      expect(counted.length, 'a login counter moved in Redis').toBeGreaterThan(0);

      await stopWithSigint(stack);
    } finally {
      redis.disconnect();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
