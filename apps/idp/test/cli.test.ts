import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.ts';

const main = join(import.meta.dirname, '..', 'src', 'main.ts');

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
});
