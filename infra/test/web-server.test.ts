import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../docker/bundle.ts';
import {
  describeCrashProof,
  rawRequest,
  siteWithSecretNextToIt,
} from '../../docker/static-server-attacks.ts';
// @ts-expect-error plain ESM without types: it ships in the web image as-is
import { createWebServer } from '../../docker/web-server.mjs';

const root = mkdtempSync(join(tmpdir(), 'web-server-'));
const site = join(root, 'public');
const configFile = join(root, 'config.json');
let server: Server;
let base: string;

beforeAll(async () => {
  mkdirSync(join(site, 'assets'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>spa</title>');
  writeFileSync(join(site, 'assets', 'app-abc123.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'outside the site');
  writeFileSync(
    configFile,
    JSON.stringify({
      userPoolId: 'us-east-1_Abc',
      clientId: 'c',
      region: 'us-east-1',
      cognitoEndpoint: 'http://127.0.0.1:9229',
      apiUrl: 'http://127.0.0.1:8000',
    }),
  );
  server = createWebServer({ root: site, configFile }) as Server;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(root, { recursive: true, force: true });
});

describe('web image static server (docker/web-server.mjs)', () => {
  it('serves index.html for client-side routes, with security headers', async () => {
    const res = await fetch(`${base}/notes/42`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>spa</title>');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('lets the SPA reach the IdP and API named in config.json (CSP connect-src)', async () => {
    const csp = (await fetch(`${base}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:9229 http://127.0.0.1:8000");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('serves hashed assets as immutable and a missing asset as 404 (no index.html fallback)', async () => {
    const asset = await fetch(`${base}/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it('serves /config.json from WEB_CONFIG_FILE, uncached', async () => {
    const res = await fetch(`${base}/config.json`);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.json()).toMatchObject({ userPoolId: 'us-east-1_Abc', apiUrl: 'http://127.0.0.1:8000' });
  });

  it('never serves files outside the build folder', async () => {
    const res = await fetch(`${base}/..%2Fsecret.txt`);
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('outside the site');
  });

  it('answers /health and refuses writes', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('serves the real Vite build of apps/web (the web image contents)', async () => {
    const buildDir = join(root, 'real-build');
    const build = spawnSync(
      'npx',
      ['vite', 'build', join(repoRoot, 'apps', 'web'), '--outDir', buildDir, '--emptyOutDir'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(build.status, build.stdout + build.stderr).toBe(0);
    const real = createWebServer({ root: buildDir, configFile }) as Server;
    await new Promise<void>((r) => real.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(real.address() as AddressInfo).port}`;
      const html = await (await fetch(`${url}/some/client/route`)).text();
      const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
      expect(script, html).toBeDefined();
      const js = await fetch(`${url}${script}`);
      expect(js.status).toBe(200);
      expect(js.headers.get('cache-control')).toContain('immutable');
    } finally {
      await new Promise((r) => real.close(r));
    }
  }, 120_000);

  it('refuses to start without a build', () => {
    expect(() => createWebServer({ root: join(root, 'nope') })).toThrow(/no index.html/);
  });
});

describeCrashProof('web image static server (docker/web-server.mjs)', async () => {
  const { site: folder, remove } = siteWithSecretNextToIt();
  const web = createWebServer({ root: folder, configFile }) as Server;
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(web.address() as AddressInfo).port}`,
    close: async () => {
      web.closeAllConnections();
      await new Promise((r) => web.close(r));
      remove();
    },
  };
});

describe('web image static server as its own process (node docker/web-server.mjs)', () => {
  it('answers a malformed path with 400 and keeps running', async () => {
    const { site: folder, remove } = siteWithSecretNextToIt();
    const child = spawn(process.execPath, [join(repoRoot, 'docker', 'web-server.mjs')], {
      env: { ...process.env, WEB_ROOT: folder, HOST: '127.0.0.1', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`web-server.mjs exited (${code}) before listening`)));
        child.stdout.on('data', (c: Buffer) => {
          const m = /"port":(\d+)/.exec(c.toString());
          if (m) resolve(Number(m[1]));
        });
      });
      const base = `http://127.0.0.1:${port}`;
      const bad = await rawRequest(base, 'GET', '/%E0%A4%A');
      expect(bad.status).toBe(400);
      expect(bad.body).not.toContain('%E0');
      expect(child.exitCode, 'the process is still running').toBeNull();
      expect((await rawRequest(base, 'GET', '/')).status).toBe(200);
    } finally {
      child.kill('SIGKILL');
      remove();
    }
  });
});
