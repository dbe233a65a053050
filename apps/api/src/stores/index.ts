import type { AppConfig } from '../config.ts';
import { MemoryStore } from './memory.ts';
import { RedisStore } from './redis.ts';
import type { KvStore } from './types.ts';

export { MemoryStore } from './memory.ts';
export { RedisStore, type RedisStoreOptions } from './redis.ts';
export type { KvStore } from './types.ts';

/** Redis when REDIS_URL is set, otherwise the in-process store. */
export function createStore(config: Pick<AppConfig, 'redisUrl'>): KvStore {
  return config.redisUrl ? new RedisStore(config.redisUrl) : new MemoryStore();
}
