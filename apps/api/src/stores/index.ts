import type { AppConfig } from '../config.ts';
import { MemoryStore } from './memory.ts';
import { RedisStore } from './redis.ts';
import type { KvStore } from './types.ts';

export { MemoryStore } from './memory.ts';
export { RedisStore, type RedisStoreOptions } from './redis.ts';
export type { KvStore } from './types.ts';

/** Redis (a cluster with REDIS_CLUSTER=true) when REDIS_URL is set, otherwise the in-process store. */
export function createStore(config: Pick<AppConfig, 'redis'>): KvStore {
  return config.redis
    ? new RedisStore(config.redis.url, { cluster: config.redis.cluster })
    : new MemoryStore();
}
