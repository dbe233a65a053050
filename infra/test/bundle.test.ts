import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApp, specFor } from '../../docker/bundle.ts';
import { rawRequest, siteWithSecretNextToIt } from '../../packages/stack/test/static-server-attacks.ts';
import { baseEnv, startNode, stopNode } from './bundle-processes.ts';

/**
 * Bundles the API and the IdP exactly as the images do, into a folder outside the repo (so no
 * node_modules up the tree can hide a missing external), then runs the bundles with node.
 */
const out = mkdtempSync(join(tmpdir(), 'bundle-test-'));
const children: ChildProcess[] = [];
const start = (args: string[], env: Record<string, string>, ready: RegExp) =>
  startNode(args, env, ready, { cwd: out, children });
const stop = stopNode;

beforeAll(async () => {
  await bundleApp('api', out);
  await bundleApp('idp', out);
  await bundleApp('web', out);
});

afterAll(async () => {
  await Promise.all(children.map(stop));
  rmSync(out, { recursive: true, force: true });
});

describe('esbuild bundles (docker/bundle.ts)', () => {
  it('emits one ESM file per entry, the migrations and the externals', () => {
    for (const name of Object.keys(specFor('api').entries))
      expect(existsSync(join(out, 'api', `${name}.mjs`))).toBe(true);
    expect(existsSync(join(out, 'api', 'migrations'))).toBe(true);
    for (const ext of specFor('api').external)
      expect(existsSync(join(out, 'api', 'node_modules', ext, 'package.json'))).toBe(true);
    expect(existsSync(join(out, 'idp', 'main.mjs'))).toBe(true);
    expect(existsSync(join(out, 'idp', 'srp-worker.mjs'))).toBe(true);
  });

  it('the web bundle (the SPA static server of packages/stack) starts, serves with the CSP, survives bad paths', async () => {
    const { site, remove } = siteWithSecretNextToIt();
    const configFile = join(out, 'web-bundle-config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        userPoolId: 'us-east-1_Abc',
        clientId: 'c',
        region: 'us-east-1',
        apiUrl: 'https://api.example',
      }),
    );
    try {
      const web = await start(
        [join(out, 'web', 'web-server.mjs')],
        { WEB_ROOT: site, WEB_CONFIG_FILE: configFile, HOST: '127.0.0.1', PORT: '0' },
        /"port":(\d+)/,
      );
      const base = `http://127.0.0.1:${web.match[1]}`;
      const page = await fetch(`${base}/some/route`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain(
        "connect-src 'self' https://api.example https://cognito-idp.us-east-1.amazonaws.com;",
      );
      expect(((await (await fetch(`${base}/config.json`)).json()) as { apiUrl: string }).apiUrl).toBe(
        'https://api.example',
      );
      const bad = await rawRequest(base, 'GET', '/%E0%A4%A');
      expect(bad.status).toBe(400);
      expect(web.child.exitCode, 'the process is still running').toBeNull();
      expect((await rawRequest(base, 'GET', '/')).status).toBe(200);
      const healthy = spawnSync(process.execPath, [join(out, 'web', 'healthcheck.mjs')], {
        env: { ...baseEnv, PORT: new URL(base).port },
      });
      expect(healthy.status).toBe(0);
      await stop(web.child);
    } finally {
      remove();
    }
  });

  it('rejects an unknown app with a clear error', () => {
    expect(() => specFor('nope')).toThrow(/unknown app "nope"/);
  });

  it('the API bundle starts and stops at the configuration check, not at a module error', () => {
    const run = spawnSync(process.execPath, [join(out, 'api', 'main.mjs')], {
      env: baseEnv,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const output = run.stdout + run.stderr;
    expect(run.status).not.toBe(0);
    expect(output).toMatch(/Invalid configuration/);
    expect(output).toMatch(/COGNITO_USER_POOL_ID/);
    expect(output).not.toMatch(/Cannot find (module|package)|ERR_MODULE_NOT_FOUND|is not defined/);
  });

  it('migrate.mjs applies the SQL migrations to real Postgres and creates the API login it is given', async () => {
    const dbName = `bundle_${randomBytes(6).toString('hex')}`;
    const role = `app_rw_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    try {
      const run = spawnSync(process.execPath, [join(out, 'api', 'migrate.mjs')], {
        env: {
          ...baseEnv,
          DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${dbName}`,
          APP_DB_USER: role,
          APP_DB_PASSWORD: 'bundle-test-password',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.stdout + run.stderr).toMatch(/applied \d+ migration/);
      expect(run.stdout).toContain(`role ${role}: login and table privileges granted`);
      expect(run.status).toBe(0);
      const { rows } = await admin.query('select rolcanlogin, rolsuper from pg_roles where rolname = $1', [
        role,
      ]);
      expect(rows).toEqual([{ rolcanlogin: true, rolsuper: false }]);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  });

  it('IdP and API bundles run together the way compose wires them (bootstrap file -> env)', {
    timeout: 300_000,
  }, async () => {
    const idpData = join(out, 'idp-data');
    const idp = await start(
      [join(out, 'idp', 'main.mjs'), '--port', '0', '--data-dir', idpData],
      {},
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    const idpUrl = idp.match[1] ?? '';
    const health = await fetch(`${idpUrl}/health`);
    expect(health.status).toBe(200);

    const bootstrapFile = join(idpData, 'bootstrap.json');
    const api = await start(
      [join(out, 'api', 'local-idp-env.mjs'), 'api'],
      {
        IDP_BOOTSTRAP_FILE: bootstrapFile,
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: join(out, 'api-data'),
        WEB_ORIGIN: 'http://127.0.0.1:5173',
      },
      /listening at (http:\/\/127\.0\.0\.1:\d+)/,
    );
    const apiUrl = api.match[1] ?? '';
    expect((await fetch(`${apiUrl}/health`)).status).toBe(200);
    const ready = await fetch(`${apiUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { jwks: 'ok', database: 'ok' } });

    // The container health check script answers for this process too.
    const port = new URL(apiUrl).port;
    expect(
      spawnSync(process.execPath, [join(out, 'api', 'healthcheck.mjs')], { env: { ...baseEnv, PORT: port } })
        .status,
    ).toBe(0);
    expect(
      spawnSync(process.execPath, [join(out, 'api', 'healthcheck.mjs')], { env: { ...baseEnv, PORT: '9' } })
        .status,
    ).toBe(1);

    // web-config: the SPA's config.json from the same bootstrap file.
    const target = join(out, 'web-config.json');
    const wc = spawnSync(process.execPath, [join(out, 'api', 'local-idp-env.mjs'), 'web-config', target], {
      env: { ...baseEnv, IDP_BOOTSTRAP_FILE: bootstrapFile, API_PUBLIC_URL: apiUrl },
      encoding: 'utf8',
    });
    expect(wc.status).toBe(0);
    const bootstrap = JSON.parse(readFileSync(bootstrapFile, 'utf8'));
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({
      userPoolId: bootstrap.pool.poolId,
      clientId: bootstrap.pool.clients.web.clientId,
      region: bootstrap.pool.region,
      cognitoEndpoint: idpUrl,
      apiUrl,
      signInOptions: { emailMfa: false, choiceSignIn: false },
    });
  });
});
