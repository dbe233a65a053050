import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definition } from '@app/pool-definition';
import { DescribeUserPoolCommand, ListGroupsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.ts';
import { startIdp } from '../src/idp.ts';
import { sdkClient } from './helpers.ts';

const main = join(import.meta.dirname, '..', 'src', 'main.ts');

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

describe('npm run idp (src/main.ts)', () => {
  it('prints its URL, answers /health, bootstraps, and exits 0 on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'idp-cli-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', main, '--port', '0', '--data-dir', dataDir, '--quiet'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed; output so far: ${out}`)), 30_000);
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
      });
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
      expect(out).toMatch(/client web: [a-z0-9]{26}/);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('answers /health with 200 only once bootstrap.json names this start (npm start reads it then)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'idp-cli-'));
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', main, '--port', String(port), '--data-dir', dataDir, '--quiet'],
      { stdio: 'ignore' },
    );
    try {
      const statuses = new Set<number>();
      for (const deadline = Date.now() + 30_000; ; ) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error('no 200 from /health');
        const status = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.status,
          () => 0,
        );
        statuses.add(status);
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      // Read at once, as packages/stack does: the file is there and names this port.
      const bootstrap = JSON.parse(await readFile(join(dataDir, 'bootstrap.json'), 'utf8'));
      expect(bootstrap.url).toBe(`http://127.0.0.1:${port}`);
      expect([...statuses].every((s) => [0, 503, 200].includes(s))).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses bad flags with a clear message', () => {
    expect(() => parseCli(['--port', 'eighty'], {})).toThrow(/--port must be a number/);
    expect(() => parseCli(['--nope'], {})).toThrow(/Unknown option/);
    expect(() => parseCli(['--users', '/nonexistent/users.json'], {})).toThrow(/cannot read users file/);
    expect(parseCli([], { IDP_PORT: '7000', INIT_CWD: '/repo' })).toMatchObject({
      port: 7000,
      dataDir: '/repo/.data/idp',
      region: 'us-east-1',
    });
  });

  it('reads the exposure flags (--cors-origin, --allowed-host, --allow-remote) and their variables', () => {
    expect(parseCli([], {})).toMatchObject({ corsOrigins: [], allowedHosts: [], allowRemote: false });
    expect(
      parseCli(
        [
          '--cors-origin',
          'http://localhost:5173',
          '--cors-origin',
          'http://127.0.0.1:5173',
          '--allow-remote',
        ],
        { IDP_CORS_ORIGINS: 'http://ignored:1' },
      ),
    ).toMatchObject({
      corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
      allowRemote: true,
    });
    expect(
      parseCli([], {
        IDP_CORS_ORIGINS: 'http://localhost:8080, http://127.0.0.1:8080',
        IDP_ALLOWED_HOSTS: 'devbox.lan',
        IDP_ALLOW_REMOTE: '1',
      }),
    ).toMatchObject({
      corsOrigins: ['http://localhost:8080', 'http://127.0.0.1:8080'],
      allowedHosts: ['devbox.lan'],
      allowRemote: true,
    });
    expect(() => parseCli(['--cors-origin', '*'], {})).toThrow('CORS origin "*" is not a URL');
    expect(() => parseCli([], { IDP_CORS_ORIGINS: 'https://app.example/path' })).toThrow(
      'must be scheme://host[:port] only',
    );
    expect(() => parseCli(['--allowed-host', 'devbox:9339'], {})).toThrow('without a port');
  });

  it("reads the web app's hosted-UI URLs (--callback-url, --logout-url) and their variables", () => {
    expect(parseCli([], {})).toMatchObject({ appUrls: { callbackUrls: [], logoutUrls: [] } });
    expect(
      parseCli(
        ['--callback-url', 'http://localhost:5173/auth/callback', '--logout-url', 'http://localhost:5173/'],
        {
          IDP_CALLBACK_URLS: 'http://ignored/',
        },
      ),
    ).toMatchObject({
      appUrls: {
        callbackUrls: ['http://localhost:5173/auth/callback'],
        logoutUrls: ['http://localhost:5173/'],
      },
    });
    expect(
      parseCli([], {
        IDP_CALLBACK_URLS: 'http://localhost:1/a, http://127.0.0.1:1/a',
        IDP_LOGOUT_URLS: 'http://localhost:1/',
      }),
    ).toMatchObject({
      appUrls: {
        callbackUrls: ['http://localhost:1/a', 'http://127.0.0.1:1/a'],
        logoutUrls: ['http://localhost:1/'],
      },
    });
  });

  it('bootstraps an empty data folder from a --definition file, and explains an invalid one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idp-def-'));
    try {
      const custom = {
        ...definition,
        poolName: 'custom-pool',
        passwordPolicy: { ...definition.passwordPolicy, minimumLength: 16 },
        groups: [{ groupName: 'ops', description: 'Operators' }],
        clients: definition.clients.filter((c) => c.key === 'web'),
        machineClients: [],
      };
      await writeFile(join(dir, 'pool.json'), JSON.stringify(custom));
      const opts = parseCli(['--definition', 'pool.json', '--data-dir', 'data'], { INIT_CWD: dir });
      if (opts === 'help') throw new Error('unexpected help');
      expect(opts.definition?.poolName).toBe('custom-pool');

      const idp = await startIdp({ dataDir: opts.dataDir, port: 0, definition: opts.definition! });
      const cognito = sdkClient(idp.url);
      try {
        const pool = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: idp.pool.poolId }));
        expect(pool.UserPool?.Name).toBe('custom-pool');
        expect(pool.UserPool?.Policies?.PasswordPolicy?.MinimumLength).toBe(16);
        const groups = await cognito.send(new ListGroupsCommand({ UserPoolId: idp.pool.poolId }));
        expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['ops']);
        expect(Object.keys(idp.pool.clients)).toEqual(['web']);
      } finally {
        cognito.destroy();
        await idp.stop();
      }

      await writeFile(
        join(dir, 'bad.json'),
        JSON.stringify({ ...custom, passwordPolicy: { minimumLength: 3 } }),
      );
      expect(() => parseCli(['--definition', 'bad.json'], { INIT_CWD: dir })).toThrow(
        /pool definition .*bad\.json is not valid:\n\s+passwordPolicy\./,
      );
      expect(() => parseCli(['--definition', 'missing.json'], { INIT_CWD: dir })).toThrow(
        /cannot read pool definition/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
