/**
 * Runs before `npm test`: makes sure the real parts the tests use are present, so a fresh
 * machine needs no manual step. It installs Debian's Chromium for the browser tests when it is
 * missing, and starts the machine's Postgres/Redis if they are installed but stopped.
 * Every step says what it does; a step that cannot succeed fails with the reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';

function log(msg: string) {
  console.log(`[pretest] ${msg}`);
}

function reachable(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status === 0;
}

async function ensureService(name: string, port: number, start: () => boolean) {
  if (await reachable(port)) return log(`${name} answers on 127.0.0.1:${port}`);
  log(`${name} is not answering on 127.0.0.1:${port}; trying to start it`);
  if (start()) {
    for (let i = 0; i < 20; i++) {
      if (await reachable(port)) return log(`${name} started`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(
    `${name} is required on 127.0.0.1:${port} for the integration tests and could not be started. ` +
      'Install and start it (see README, "Running the tests").',
  );
}

async function main() {
  if (!existsSync('/usr/bin/chromium')) {
    log('Debian Chromium not found; installing it for the browser tests (apt-get install chromium)');
    if (process.getuid?.() !== 0)
      throw new Error('chromium is missing and installing it needs root: apt-get install chromium');
    if (!run('apt-get', ['update', '-q']) || !run('apt-get', ['install', '-y', '-q', 'chromium'])) {
      throw new Error('apt-get install chromium failed');
    }
  }
  log(`chromium: ${execFileSync('/usr/bin/chromium', ['--version']).toString().trim()}`);

  await ensureService('PostgreSQL', 5432, () => {
    if (!existsSync('/etc/postgresql')) return false;
    const versions = readdirSync('/etc/postgresql');
    return (
      versions.length > 0 &&
      run('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0]!, 'main', 'start'])
    );
  });
  await ensureService('Redis', 6379, () =>
    run('redis-server', [
      '--daemonize',
      'yes',
      '--bind',
      '127.0.0.1',
      '--port',
      '6379',
      '--save',
      '',
      '--appendonly',
      'no',
    ]),
  );
}

main().catch((err: unknown) => {
  console.error(`[pretest] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
