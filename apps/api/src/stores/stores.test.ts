import { afterAll, describe, expect, it } from 'vitest';
import { deleteRedisPrefix, redisTestPrefix, SHARED_REDIS_URL } from '../../test/support/redis.ts';
import { Revocation } from '../auth/revocation.ts';
import { MemoryStore } from './memory.ts';
import { RedisStore } from './redis.ts';
import type { KvStore } from './types.ts';

const prefix = redisTestPrefix('api-store-test');
const stores: Array<[string, () => KvStore]> = [
  ['memory', () => new MemoryStore()],
  ['redis', () => new RedisStore(SHARED_REDIS_URL, { keyPrefix: prefix })],
];
const opened: KvStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await deleteRedisPrefix(prefix);
});

describe.each(stores)('%s store', (_kind, make) => {
  const store = make();
  opened.push(store);
  const k = (name: string) => `${Math.random().toString(36).slice(2)}:${name}`;

  it('sets, reads and deletes values', async () => {
    const a = k('a');
    await store.ping();
    expect(await store.getMany([a, k('missing')])).toEqual([null, null]);
    await store.set(a, 'v', 60);
    expect(await store.getMany([a])).toEqual(['v']);
    await store.del(a);
    expect(await store.getMany([a])).toEqual([null]);
  });

  it('expires values after their ttl', async () => {
    const a = k('ttl');
    await store.set(a, 'v', 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await store.getMany([a])).toEqual([null]);
  });

  it('keeps the larger number with setMax', async () => {
    const a = k('max');
    await store.setMax(a, 100, 60);
    await store.setMax(a, 50, 60);
    expect(await store.getMany([a])).toEqual(['100']);
    await store.setMax(a, 150, 60);
    expect(await store.getMany([a])).toEqual(['150']);
  });

  it('counts hits in a fixed window', async () => {
    const a = k('hits');
    const first = await store.hit(a, 30);
    expect(first.count).toBe(1);
    expect(first.resetSeconds).toBeGreaterThan(0);
    expect(first.resetSeconds).toBeLessThanOrEqual(30);
    await store.hit(a, 30);
    expect((await store.hit(a, 30)).count).toBe(3);
  });

  it('backs revocation by jti, origin_jti and a per-user cut-off', async () => {
    const rev = new Revocation(store);
    const now = Math.floor(Date.now() / 1000);
    const token = { sub: k('sub'), jti: k('jti'), originJti: k('ojti'), iat: now - 10, exp: now + 3600 };
    expect(await rev.isRevoked(token)).toBe(false);
    await rev.revokeToken(token);
    expect(await rev.isRevoked(token)).toBe(true);
    // A refreshed token from the same sign-in shares origin_jti but has a new jti.
    expect(await rev.isRevoked({ ...token, jti: k('jti2') })).toBe(true);
    // Another sign-in of the same user is not affected...
    const other = { ...token, jti: k('jti3'), originJti: k('ojti3') };
    expect(await rev.isRevoked(other)).toBe(false);
    // ...until the user is cut off: tokens issued at or before the cut-off second are refused (ADR 0070).
    await rev.cutOffUser(token.sub, now);
    expect(await rev.isRevoked(other)).toBe(true);
    expect(await rev.isRevoked({ ...other, iat: now })).toBe(true);
    expect(await rev.isRevoked({ ...other, iat: now + 1 })).toBe(false);
    expect(await rev.cutOffOf(token.sub)).toBe(now);
  });
});

describe('redis store: reads of one turn share one MGET (ADR 0203)', () => {
  it('answers each concurrent getMany with its own keys, and a failed MGET fails each of them', async () => {
    const store = new RedisStore(SHARED_REDIS_URL, { keyPrefix: prefix });
    opened.push(store);
    const k = (name: string) => `${Math.random().toString(36).slice(2)}:${name}`;
    const [a, b, c] = [k('a'), k('b'), k('c')];
    // No offline queue: wait for the connection before the first command.
    if (store.client.status !== 'ready') await new Promise((r) => store.client.once('ready', r));
    await Promise.all([store.set(a, 'A', 60), store.set(c, 'C', 60)]);
    const mgets: number[] = [];
    const mget = store.client.mget.bind(store.client);
    store.client.mget = ((...args: Parameters<typeof mget>) => {
      mgets.push((args[0] as string[]).length);
      return mget(...args);
    }) as typeof mget;
    const answers = await Promise.all([
      store.getMany([a, b]),
      store.getMany([]),
      store.getMany([c]),
      store.getMany([b, c, a]),
    ]);
    expect(answers).toEqual([['A', null], [], ['C'], [null, 'C', 'A']]);
    expect(mgets).toEqual([6]);
    // The next turn is a new batch, and a failure reaches every caller of it (they fail closed).
    store.client.mget = (() => Promise.reject(new Error('boom'))) as unknown as typeof mget;
    const failed = await Promise.allSettled([store.getMany([a]), store.getMany([c])]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
