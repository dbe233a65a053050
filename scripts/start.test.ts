/**
 * `npm start` as a newcomer runs it: from an empty data folder to one "ready" line, every part
 * answering, a demo account that can sign in, and a clean stop on Ctrl-C (SIGINT).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

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

function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  output: string[],
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no line matching ${pattern} in ${timeoutMs} ms:\n${output.join('')}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const line = output
        .join('')
        .split('\n')
        .find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before printing ${pattern}:\n${output.join('')}`));
    });
  });
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stack-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reaches ready with every part answering, and stops cleanly on SIGINT', async () => {
    const ports = { idp: await freePort(), api: await freePort(), web: await freePort() };
    child = spawn('node_modules/.bin/tsx', ['scripts/start.ts'], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        IDP_PORT: String(ports.idp),
        API_PORT: String(ports.api),
        WEB_PORT: String(ports.web),
        DATABASE_URL: '',
        REDIS_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const ready = await waitForLine(child, /\bready\b/, output, 200_000);
    expect(ready).toContain(`http://localhost:${ports.web}`);
    expect(ready).toContain(`http://127.0.0.1:${ports.api}`);
    expect(ready).toContain(`http://127.0.0.1:${ports.idp}`);

    const idpHealth = await fetch(`http://127.0.0.1:${ports.idp}/health`);
    expect(idpHealth.status).toBe(200);
    const apiReady = await fetch(`http://127.0.0.1:${ports.api}/ready`);
    expect(apiReady.status).toBe(200);
    const config = (await (await fetch(`http://127.0.0.1:${ports.web}/config.json`)).json()) as Record<
      string,
      string
    >;
    expect(config.apiUrl).toBe(`http://127.0.0.1:${ports.api}`);
    expect(config.cognitoEndpoint).toBe(`http://127.0.0.1:${ports.idp}`);
    const page = await fetch(`http://127.0.0.1:${ports.web}/items/some-client-route`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    // The printed demo account signs in against the IdP with the password shown.
    const all = output.join('');
    const demo = /demo@example\.com\s+(\S+)/.exec(all);
    expect(demo, 'demo credentials are printed').not.toBeNull();
    const auth = await fetch(`http://127.0.0.1:${ports.idp}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser',
      },
      body: JSON.stringify({ UserPoolId: config.userPoolId, Username: 'demo@example.com' }),
    });
    expect(auth.status).toBe(200);
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./); // no token ever printed

    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const p of Object.values(ports)) {
      await expect(fetch(`http://127.0.0.1:${p}/health`)).rejects.toThrow();
    }
  });
});
