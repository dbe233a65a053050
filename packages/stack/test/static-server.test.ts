/**
 * The SPA's one static server (npm start, e2e, the web image): routes, caching, the production
 * security headers built from the runtime config, config.json from a value or a file, and the
 * request shapes that must never stop it (ADR 0080). The bundled image entry is run in
 * infra/test/bundle.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile, createSpaServer, serveSpa } from '../src/static-server/index.ts';
import { contentSecurityPolicy } from '../src/wiring/index.ts';
import { describeCrashProof, siteWithSecretNextToIt } from './static-server-attacks.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
const root = mkdtempSync(join(tmpdir(), 'web-server-'));
const site = join(root, 'public');
const file = join(root, 'config.json');
const config = {
  userPoolId: 'us-east-1_Abc',
  clientId: 'c',
  region: 'us-east-1',
  cognitoEndpoint: 'http://127.0.0.1:9339',
  apiUrl: 'http://127.0.0.1:8000',
};
let server: Server;
let base: string;

async function listen(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  mkdirSync(join(site, 'assets'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>spa</title>');
  writeFileSync(join(site, 'assets', 'app-abc123.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'outside the site');
  writeFileSync(file, JSON.stringify(config));
  server = createSpaServer({ root: site, config: configFile(file) });
  base = await listen(server);
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(root, { recursive: true, force: true });
});

describe('SPA static server', () => {
  it('serves index.html for client-side routes, with the security headers', async () => {
    const res = await fetch(`${base}/notes/42`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>spa</title>');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('lets the SPA reach exactly the IdP and API named in config.json (CSP connect-src)', async () => {
    const csp = (await fetch(`${base}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toBe(contentSecurityPolicy(['http://127.0.0.1:8000', 'http://127.0.0.1:9339']));
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:8000 http://127.0.0.1:9339;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self';");
  });

  it('serves hashed assets as immutable and a missing asset as 404 (no index.html fallback)', async () => {
    const asset = await fetch(`${base}/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it('serves /config.json from the file, uncached, and a malformed file as a 500', async () => {
    const res = await fetch(`${base}/config.json`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual(config);
    writeFileSync(file, '{ not json');
    try {
      expect((await fetch(`${base}/config.json`)).status).toBe(500);
    } finally {
      writeFileSync(file, JSON.stringify(config));
    }
  });

  it('answers 404 for /config.json until the wiring sets it, then the config it set', async () => {
    const spa = await serveSpa({ root: site, host: '127.0.0.1', port: 0 });
    try {
      expect((await fetch(`${spa.url}/config.json`)).status).toBe(404);
      spa.setConfig({ ...config, apiUrl: 'http://127.0.0.1:1234' });
      expect(((await (await fetch(`${spa.url}/config.json`)).json()) as { apiUrl: string }).apiUrl).toBe(
        'http://127.0.0.1:1234',
      );
      const csp = (await fetch(`${spa.url}/`)).headers.get('content-security-policy') ?? '';
      expect(csp).toContain('http://127.0.0.1:1234');
    } finally {
      await spa.close();
    }
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
      [
        'vite',
        'build',
        join(repoRoot, 'apps', 'web'),
        '--outDir',
        buildDir,
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ],
      { cwd: repoRoot, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_ENV: 'production' } },
    );
    expect(build.status, build.stdout + build.stderr).toBe(0);
    const real = createSpaServer({ root: buildDir, config: configFile(file) });
    const url = await listen(real);
    try {
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
    expect(() => createSpaServer({ root: join(root, 'nope'), config: configFile(undefined) })).toThrow(
      /no index.html/,
    );
  });
});

describeCrashProof('SPA static server', async () => {
  const { site: folder, remove } = siteWithSecretNextToIt();
  const spa = await serveSpa({ root: folder, host: '127.0.0.1', port: 0, config });
  return {
    url: spa.url,
    close: async () => {
      await spa.close();
      remove();
    },
  };
});
