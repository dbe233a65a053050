import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort } from '../../apps/api/test/support/redis.ts';

/**
 * TLS-only Postgres and Redis for a production rehearsal, from Debian's binaries, with a private CA:
 * the same shape as RDS (rds.force_ssl, the RDS CA bundle) and ElastiCache Serverless (a cluster,
 * in-transit encryption, an RBAC user) have on AWS.
 */

export interface Ca {
  /** The CA certificate (what NODE_EXTRA_CA_CERTS points at, like the RDS bundle in the image). */
  caFile: string;
  /**
   * A certificate for 127.0.0.1 and localhost, signed by the CA: the servers', and the one cluster
   * nodes present to each other on the TLS cluster bus (so client use too).
   */
  certFile: string;
  keyFile: string;
}

/** A throw-away CA and one server certificate, with openssl (EC P-256: quick to make). */
export function makeCa(dir: string): Ca {
  const f = (name: string) => join(dir, name);
  const ssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const newEcKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  ssl(
    ['req', '-x509', ...newEcKey, '-keyout', f('ca.key'), '-out', f('ca.pem')].concat([
      '-days',
      '2',
      '-subj',
      '/CN=rehearsal CA',
    ]),
  );
  writeFileSync(
    f('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n',
  );
  ssl(['req', ...newEcKey, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost']);
  ssl(
    ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key')].concat([
      '-CAcreateserial',
      '-out',
      f('server.crt'),
      '-days',
      '2',
      '-extfile',
      f('server.ext'),
    ]),
  );
  return { caFile: f('ca.pem'), certFile: f('server.crt'), keyFile: f('server.key') };
}

/** The newest Debian Postgres server binaries, if installed (postgresql-NN). */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

export interface TlsPostgres {
  port: number;
  /** The superuser (like the RDS master user) and its password; the database `app` exists. */
  user: string;
  password: string;
  url(user: string, password: string, sslmode?: string): string;
  stop(): Promise<void>;
}

/**
 * A private Postgres cluster in `dir` that accepts only TLS connections with a password (hostssl
 * scram-sha-256; no `host` line, so plain TCP is refused like rds.force_ssl=1). initdb refuses to
 * run as root, so as root the server runs as Debian's `postgres` user.
 */
export async function startTlsPostgres(dir: string, ca: Ca): Promise<TlsPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no Postgres server binaries under /usr/lib/postgresql/*/bin');
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot
    ? {
        uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
        gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
      }
    : undefined;
  const pgDir = join(dir, 'pg');
  mkdirSync(pgDir, { mode: 0o700 });
  chmodSync(dir, 0o755);
  const data = join(pgDir, 'data');
  const password = randomBytes(12).toString('hex');
  writeFileSync(join(pgDir, 'pw'), password);
  execFileSync('cp', [ca.certFile, join(pgDir, 'server.crt')]);
  execFileSync('cp', [ca.keyFile, join(pgDir, 'server.key')]);
  chmodSync(join(pgDir, 'server.key'), 0o600);
  if (owner) execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, pgDir]);
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(join(bin, cmd), args, { encoding: 'utf8', timeout: 120_000, ...(owner ?? {}) });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stdout}${r.stderr}`);
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--pwfile', join(pgDir, 'pw'), '-A', 'scram-sha-256']);
  const port = await freePort();
  writeFileSync(
    join(data, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${pgDir}'`,
      'ssl = on',
      `ssl_cert_file = '${join(pgDir, 'server.crt')}'`,
      `ssl_key_file = '${join(pgDir, 'server.key')}'`,
      "ssl_min_protocol_version = 'TLSv1.2'",
      'fsync = off',
      'max_connections = 40',
      '',
    ].join('\n'),
  );
  writeFileSync(join(data, 'pg_hba.conf'), 'hostssl all all 127.0.0.1/32 scram-sha-256\n');
  if (owner) chownSync(join(data, 'pg_hba.conf'), owner.uid, owner.gid);
  run('pg_ctl', ['-D', data, '-l', join(pgDir, 'log'), '-w', '-t', '60', 'start']);
  const url = (user: string, pw: string, sslmode = 'verify-full') =>
    `postgres://${user}:${pw}@127.0.0.1:${port}/app?sslmode=${sslmode}`;
  const stop = async () => {
    spawnSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], {
      timeout: 60_000,
      ...(owner ?? {}),
    });
  };
  try {
    const admin = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'postgres',
      ssl: { ca: readFileSync(ca.caFile, 'utf8') },
    });
    await admin.connect();
    await admin.query('CREATE DATABASE app');
    await admin.end();
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, user: 'postgres', password, url, stop };
}

export interface TlsRedis {
  /**
   * `rediss://api:<password>@127.0.0.1:<tls port>` of one node, like the stack's REDIS_URL secret
   * (the serverless endpoint, signed in as the cache's RBAC user `api`).
   */
  url: string;
  /** The `api` user's password. */
  password: string;
  ports: number[];
  stop(): Promise<void>;
}

/**
 * A Redis Cluster the way ElastiCache Serverless presents itself (ADR 0221): TLS only (`--port 0
 * --tls-port`, and TLS on the cluster bus), the `default` user off, and an `api` user with a
 * password, like the stack's RBAC user group. `masters` cluster-enabled redis-servers joined with
 * `redis-cli --cluster create`, ready once every node reports `cluster_state:ok`.
 */
export async function startTlsRedisCluster(dir: string, ca: Ca, masters = 3): Promise<TlsRedis> {
  const password = randomBytes(16).toString('hex');
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
  };
  const tls = ['--tls-cert-file', ca.certFile, '--tls-key-file', ca.keyFile, '--tls-ca-cert-file', ca.caFile];
  // ElastiCache's RBAC: the mandatory default user off, the application's user with its password.
  const users = ['--user', 'default', 'off', '--user', 'api', 'on', `>${password}`, '~*', '&*', '+@all'];
  const ask = async <T>(port: number, fn: (c: Redis) => Promise<T>): Promise<T> => {
    const c = new Redis({
      host: '127.0.0.1',
      port,
      username: 'api',
      password,
      tls: { ca: readFileSync(ca.caFile, 'utf8') },
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    c.on('error', () => {});
    try {
      await c.connect();
      return await fn(c);
    } finally {
      c.disconnect();
    }
  };
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 300; i++) {
      if (await check().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`TLS redis cluster: ${what} not reached`);
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      const nodeDir = join(dir, `redis-${port}`);
      mkdirSync(nodeDir);
      const args = ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--dir', nodeDir];
      args.push('--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes', '--tls-cluster', 'yes');
      args.push('--cluster-port', String(await freePort()), '--cluster-config-file', 'nodes.conf');
      args.push('--cluster-node-timeout', '2000', '--tls-auth-clients', 'no', ...tls, ...users);
      children.push(spawn('redis-server', args, { stdio: 'ignore' }));
      ports.push(port);
    }
    for (const port of ports)
      await until(`node ${port} up`, () => ask(port, async (c) => (await c.ping()) === 'PONG'));
    // redis-cli reads the password from the environment (never on its command line).
    const create = spawnSync(
      'redis-cli',
      ['--tls', '--cacert', ca.caFile, '--user', 'api', '--cluster', 'create']
        .concat(ports.map((p) => `127.0.0.1:${p}`))
        .concat(['--cluster-replicas', '0', '--cluster-yes']),
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, REDISCLI_AUTH: password } },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    for (const port of ports) {
      await until(`cluster_state:ok on ${port}`, () =>
        ask(port, async (c) => String(await c.cluster('INFO')).includes('cluster_state:ok')),
      );
    }
    return { url: `rediss://api:${password}@127.0.0.1:${ports[0]}`, password, ports, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
