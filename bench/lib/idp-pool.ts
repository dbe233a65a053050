/**
 * The local IdP as its own process on a data folder whose pool holds N users, for bench/idp.ts.
 * One first start creates the pool and the few users the bench signs in as (real scrypt hashes and SRP
 * verifiers), and each pool size starts from a copy of that folder; the rest of the pool is written straight into the store's data folder through the
 * store itself — filler users shaped like real ones (e-mail, sub, scrypt hash, 3072-bit verifier) with
 * random bytes where a hash or verifier goes, since nobody signs in as them. 100k sign-ups over the API
 * would take hours of scrypt.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dict } from '../../apps/idp/src/store/dict.ts';
import type { UserRecord } from '../../apps/idp/src/store/state.ts';
import { Store } from '../../apps/idp/src/store/store.ts';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, '..', '..', 'apps', 'idp', 'src', 'main.ts');

export const benchPassword = 'benchmark passphrase';
export const benchEmails = [
  'bench0@example.com',
  'bench1@example.com',
  'bench2@example.com',
  'bench3@example.com',
];

export interface PoolInfo {
  poolId: string;
  region: string;
  clients: Record<string, { clientId: string; clientSecret?: string }>;
}

export interface RunningIdp {
  url: string;
  pid: number;
  pool: PoolInfo;
  /** From spawn to the "listening" line: node start, loading the state, binding the port. */
  startSeconds: number;
  stop(): Promise<void>;
}

async function start(dataDir: string, usersFile?: string): Promise<RunningIdp> {
  const started = performance.now();
  // BENCH_CPU_PROF=<dir>: the measured IdPs write a V8 CPU profile there when they stop.
  const prof =
    process.env.BENCH_CPU_PROF && !usersFile
      ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
      : [];
  const args = [...prof, '--import', 'tsx', main, '--port', '0', '--data-dir', dataDir, '--quiet'];
  const child: ChildProcess = spawn(process.execPath, usersFile ? [...args, '--users', usersFile] : args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the IdP exited with ${code}: ${out}`)));
  });
  const startSeconds = (performance.now() - started) / 1000;
  const { pool } = JSON.parse(readFileSync(join(dataDir, 'bootstrap.json'), 'utf8'));
  return {
    url,
    pid: child.pid!,
    pool,
    startSeconds,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A user nobody signs in as, shaped like `template` (a real one) with its own ids and random material. */
function filler(template: UserRecord, i: number): UserRecord {
  const sub = randomUUID();
  const [scheme, n, r, p] = template.passwordHash.split('$');
  return {
    ...template,
    username: sub,
    sub,
    attributes: dict({ ...template.attributes, email: `filler${i}@example.com` }),
    passwordHash: `${scheme}$${n}$${r}$${p}$${randomBytes(16).toString('base64')}$${randomBytes(64).toString('base64')}`,
    srp: { saltHex: randomBytes(16).toString('hex'), verifierHex: randomBytes(384).toString('hex') },
    groups: [],
  };
}

/** A data folder with the bootstrap pool and the bench users: one IdP start, copied for every pool size. */
export async function baseDataFolder(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'idp-bench-base-'));
  const usersFile = join(dataDir, 'users.json');
  writeFileSync(usersFile, JSON.stringify(benchEmails.map((email) => ({ email, password: benchPassword }))));
  const first = await start(dataDir, usersFile);
  await first.stop();
  return dataDir;
}

/** A copy of `base` whose bootstrap pool holds `size` users (the bench users among them). */
export async function seedDataFolder(
  base: string,
  size: number,
): Promise<{ dataDir: string; seedSeconds: number }> {
  const started = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), `idp-bench-${size}-`));
  cpSync(base, dataDir, { recursive: true });
  const store = await Store.open(dataDir);
  const { poolId } = JSON.parse(readFileSync(join(dataDir, 'bootstrap.json'), 'utf8')).pool;
  // Straight into the raw state, untracked: the snapshot compact() writes holds every entity anyway.
  const pool = store.unwrap(store.state.pools[poolId]!);
  const template = Object.values(pool.users)[0]!;
  for (let i = benchEmails.length; i < size; i++) {
    const u = filler(template, i);
    pool.users[u.username] = u;
  }
  // As a long-running IdP keeps it: one snapshot, an empty log.
  await store.compact();
  await store.close();
  return { dataDir, seedSeconds: (performance.now() - started) / 1000 };
}

/** How long the store takes to load the folder (what the IdP does first at start): wall and CPU seconds. */
export async function timeStoreLoad(dataDir: string): Promise<{ wall: number; cpu: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const store = await Store.open(dataDir);
  const used = process.cpuUsage(cpu);
  const wall = (performance.now() - started) / 1000;
  await store.close();
  return { wall, cpu: (used.user + used.system) / 1e6 };
}

export async function startOn(dataDir: string): Promise<RunningIdp & { remove(): Promise<void> }> {
  const idp = await start(dataDir);
  return {
    ...idp,
    async remove() {
      await idp.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
