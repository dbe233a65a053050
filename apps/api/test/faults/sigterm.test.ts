import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  keyServerEnv,
  startJwksServer,
  type TestDatabase,
  type TestKeyServer,
} from '../support/index.ts';

const entry = fileURLToPath(new URL('./server-entry.ts', import.meta.url));

function get(port: number, path: string, agent: Agent, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function spawnServer(keys: TestKeyServer, db: TestDatabase): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry], {
    env: {
      ...process.env,
      ...keyServerEnv(keys),
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      COGNITO_REGION: 'us-east-1',
      WEB_ORIGIN: 'http://localhost:5173',
      DATABASE_URL: db.url,
      SLOW_MS: '2000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The access lines of `path` among the JSON log lines. */
function accessLines(output: string, path: string): string[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes('"request completed"') && l.includes(`"url":"${path}"`));
}

describe('fault: SIGTERM under load', () => {
  let keys: TestKeyServer;
  let db: TestDatabase;
  let child: ChildProcess;
  let port: number;
  let output = '';

  beforeAll(async () => {
    keys = await startJwksServer();
    db = await createTestDatabase('api_sigterm');
    child = spawnServer(keys, db);
    child.stderr?.on('data', (c) => {
      output += c;
    });
    port = await new Promise<number>((resolve, reject) => {
      child.stdout?.on('data', (c: Buffer) => {
        output += c;
        const m = /LISTENING (\d+)/.exec(output);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${output}`)));
    });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await db?.drop();
    await keys?.stop();
  });

  it('finishes every request in flight, refuses new connections, and exits 0', async () => {
    const token = keys.accessToken();
    // Warm up: one authenticated request, so logs contain an Authorization header we can look for.
    const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
    expect((await get(port, '/health', agent, { authorization: `Bearer ${token}` })).status).toBe(200);

    const inflight = Array.from({ length: 40 }, () => get(port, '/slow', agent));
    // Signal only once the server is handling all 40 (a fixed pause was too short on a loaded machine).
    const deadline = Date.now() + 15_000;
    while ((output.match(/SLOW-BEGIN/g) ?? []).length < 40 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect((output.match(/SLOW-BEGIN/g) ?? []).length).toBe(40);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');

    const results = await Promise.allSettled(inflight);
    const statuses = results.map((r) =>
      r.status === 'fulfilled' ? r.value.status : `error: ${String(r.reason)}`,
    );
    expect(statuses).toEqual(Array(40).fill(200));

    // A new connection after shutdown began is refused, not accepted and dropped.
    const late = await get(port, '/health', new Agent({ keepAlive: false })).then(
      (r) => `status ${r.status}`,
      (err: NodeJS.ErrnoException) => err.code,
    );
    expect(['ECONNREFUSED', 'status 503']).toContain(late);

    expect(await exited).toBe(0);
    agent.destroy();
    // JSON logs with request ids; the token never appears.
    const lines = output.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.some((l) => /"reqId"/.test(l))).toBe(true);
    expect(lines.some((l) => /"signal":"SIGTERM"/.test(l))).toBe(true);
    expect(output).not.toContain(token);
    // Buffered logging (ADR 0182) loses nothing on a normal stop: every access line and the last line.
    expect(accessLines(output, '/slow')).toHaveLength(40);
    expect(lines.at(-1)).toMatch(/"shut down cleanly"/);
  });
});

describe('fault: an uncaught error', () => {
  it('exits with every log line written, the error and the access lines before it (ADR 0182)', async () => {
    const keys = await startJwksServer();
    const db = await createTestDatabase('api_crash');
    const child = spawnServer(keys, db);
    let output = '';
    try {
      child.stdout?.on('data', (c) => {
        output += c;
      });
      child.stderr?.on('data', (c) => {
        output += c;
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout?.on('data', () => {
          const m = /LISTENING (\d+)/.exec(output);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${output}`)));
      });
      const agent = new Agent({ keepAlive: false });
      // Fewer lines than the buffer holds: without the flush on exit they would all be lost.
      for (let i = 0; i < 5; i++) expect((await get(port, '/health', agent)).status).toBe(200);
      expect((await get(port, '/crash', agent)).status).toBe(200);
      expect(await exited).not.toBe(0);
      expect(accessLines(output, '/health')).toHaveLength(5);
      expect(accessLines(output, '/crash')).toHaveLength(1);
      expect(output).toMatch(/"shutting down after an uncaught error"/);
      expect(output).toMatch(/crash on purpose/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await db.drop();
      await keys.stop();
    }
  });
});
