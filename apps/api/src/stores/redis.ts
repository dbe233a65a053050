import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { KvStore } from './types.ts';

// INCR then start the window on the first hit; returns [count, ms left in the window].
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

// Keep the larger of the stored and the given number.
const SET_MAX_SCRIPT = `
local cur = tonumber(redis.call('GET', KEYS[1]))
if cur == nil or cur < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
return 1`;

export interface RedisStoreOptions {
  /** Prepended to every key, so several apps (or tests) can share one Redis. */
  keyPrefix?: string;
  /** Per-command time limit; a hung Redis must not hang requests. */
  commandTimeoutMs?: number;
  /**
   * Cluster mode (ElastiCache cluster mode or Serverless): `url` names one node, the client
   * discovers the rest and routes each key to its slot's master. Multi-key commands need keys of one
   * slot, hence the hash tags in auth/revocation.ts (ADR 0175).
   */
  cluster?: boolean;
}

/** Per-node limits both client kinds share: a hung node must not hang requests. */
type NodeLimits = Pick<RedisOptions, 'commandTimeout' | 'connectTimeout' | 'maxRetriesPerRequest'>;

/**
 * A cluster client from one node's URL. ioredis manages each node's queue and reconnects itself
 * (its per-node options omit them): the cluster-level `enableOfflineQueue: false` fails commands
 * fast while the cluster is not ready, and `commandTimeout` bounds the rest.
 */
function clusterClient(url: string, limits: NodeLimits, cluster: ClusterOptions): Cluster {
  const u = new URL(url);
  return new Cluster([{ host: u.hostname, port: Number(u.port || 6379) }], {
    ...cluster,
    // ElastiCache with TLS announces host names: keep them (no DNS to IP), so TLS checks the name.
    dnsLookup: (address, callback) => callback(null, address),
    redisOptions: {
      ...limits,
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  });
}

/**
 * KvStore on Redis (ioredis). Commands fail fast while disconnected (no offline queue) so callers can
 * apply their fail-open/fail-closed policy at once; the client keeps reconnecting in the background,
 * so a restarted Redis is picked up without restarting the API.
 */
export class RedisStore implements KvStore {
  readonly kind = 'redis' as const;
  readonly client: Redis | Cluster;
  private readonly prefix: string;
  private readonly cluster: boolean;
  /** getMany calls of this event-loop turn, answered by one MGET (ADR 0203); standalone Redis only. */
  private batch: { keys: string[]; resolve: (v: (string | null)[]) => void; reject: (e: unknown) => void }[] =
    [];

  constructor(url: string, opts: RedisStoreOptions = {}) {
    this.prefix = opts.keyPrefix ?? 'api:';
    this.cluster = opts.cluster ?? false;
    // Reconnect for ever with a capped backoff.
    const retry = (attempt: number) => Math.min(50 * 2 ** attempt, 1000);
    const limits: NodeLimits = {
      maxRetriesPerRequest: 1,
      commandTimeout: opts.commandTimeoutMs ?? 1000,
      connectTimeout: 2000,
    };
    // Commands issued in the same tick (e.g. the revocation MGETs of concurrent requests) go out
    // in one write: fewer syscalls per request under load (ADR 0097).
    this.client = opts.cluster
      ? clusterClient(url, limits, {
          enableOfflineQueue: false,
          enableAutoPipelining: true,
          clusterRetryStrategy: retry,
        })
      : new Redis(url, {
          ...limits,
          lazyConnect: false,
          enableOfflineQueue: false,
          enableAutoPipelining: true,
          // getMany already sends one MGET per turn: a pipeline around it would be pure cost.
          autoPipeliningIgnoredCommands: ['mget'],
          retryStrategy: retry,
        });
    // Without a listener ioredis prints every connection error; the callers see the failures anyway.
    this.client.on('error', () => {});
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  /**
   * Every call made in one turn of the event loop (the revocation reads of the requests that arrived
   * together) is answered by ONE MGET sent once that turn's I/O callbacks have run: one command to
   * build, send and parse instead of one per request (ADR 0203). Each caller still gets the values as
   * Redis held them after its call. In cluster mode the keys of two calls may live in different
   * slots, so each call is its own MGET there (auto-pipelined into one write per node).
   */
  getMany(keys: string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return Promise.resolve([]);
    if (this.cluster) return this.client.mget(keys.map((k) => this.k(k)));
    return new Promise((resolve, reject) => {
      if (this.batch.length === 0) setImmediate(() => this.flushReads());
      this.batch.push({ keys, resolve, reject });
    });
  }

  private flushReads(): void {
    const batch = this.batch;
    this.batch = [];
    const all: string[] = [];
    for (const call of batch) for (const key of call.keys) all.push(this.k(key));
    this.client.mget(all).then(
      (values) => {
        let at = 0;
        for (const call of batch) {
          call.resolve(values.slice(at, at + call.keys.length));
          at += call.keys.length;
        }
      },
      (err: unknown) => {
        for (const call of batch) call.reject(err);
      },
    );
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.client.set(this.k(key), value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async setMax(key: string, value: number, ttlSeconds: number): Promise<void> {
    await this.client.eval(
      SET_MAX_SCRIPT,
      1,
      this.k(key),
      String(value),
      String(Math.max(1, Math.ceil(ttlSeconds))),
    );
  }

  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }> {
    const [count, ttlMs] = (await this.client.eval(
      HIT_SCRIPT,
      1,
      this.k(key),
      String(windowSeconds * 1000),
    )) as [number, number];
    return { count, resetSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
  }

  async del(key: string): Promise<void> {
    await this.client.del(this.k(key));
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
