import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './redis.ts';

/** A real Redis Cluster of Debian's redis-server: masters on loopback, each in its own temp folder. */
export interface PrivateRedisCluster {
  /** One node's URL: the seed a cluster client starts from (it discovers the rest). */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis cluster: ${what} not reached in ${ms} ms`);
}

async function ask<T>(port: number, fn: (c: Redis) => Promise<T>): Promise<T> {
  const c = new Redis({
    port,
    host: '127.0.0.1',
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
}

/**
 * Starts `masters` cluster-enabled redis-servers (no replicas, no persistence) and joins them with
 * `redis-cli --cluster create`, then waits until every node reports `cluster_state:ok`. The bus
 * port is chosen apart (`cluster-port`), so any free client port works.
 */
export async function startRedisCluster(masters = 3): Promise<PrivateRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
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
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      const busPort = await freePort();
      const nodeDir = mkdtempSync(join(dir, `node-${port}-`));
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', nodeDir, '--save', ''];
      args.push('--appendonly', 'no', '--cluster-enabled', 'yes', '--cluster-port', String(busPort));
      args.push('--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000');
      children.push(spawn('redis-server', args, { stdio: 'ignore' }));
      ports.push(port);
    }
    for (const port of ports)
      await until(`node ${port} up`, () => ask(port, async (c) => (await c.ping()) === 'PONG'));
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    for (const port of ports)
      await until(`cluster_state:ok on ${port}`, () =>
        ask(port, async (c) => (await c.cluster('INFO')).includes('cluster_state:ok')),
      );
    return { url: `redis://127.0.0.1:${ports[0]}`, ports, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
