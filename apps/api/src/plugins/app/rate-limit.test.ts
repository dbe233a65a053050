import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProbeApp, expectProblem } from '../../../test/support/app.ts';
import { testConfig } from '../../../test/support/config.ts';
import { deleteRedisPrefix, redisTestPrefix, SHARED_REDIS_URL } from '../../../test/support/redis.ts';
import { MemoryStore } from '../../stores/memory.ts';
import { RedisStore } from '../../stores/redis.ts';
import type { KvStore } from '../../stores/types.ts';
import { rateLimit } from './rate-limit.ts';

const prefix = redisTestPrefix('api-rl-test');
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await deleteRedisPrefix(prefix);
});

async function appWith(store: KvStore): Promise<FastifyInstance> {
  const app = await buildProbeApp(testConfig(), {
    store,
    extraRoutes: (scope) => {
      scope.post(
        '/limited',
        {
          preHandler: rateLimit({
            name: 'probe',
            max: 3,
            windowSeconds: 60,
            key: (req) => (req.body as { email?: string } | undefined)?.email?.toLowerCase(),
          }),
        },
        async () => ({ ok: true }),
      );
    },
  });
  cleanups.push(
    () => app.close(),
    () => store.close(),
  );
  return app;
}

describe.each([
  ['memory', () => new MemoryStore()],
  ['redis', () => new RedisStore(SHARED_REDIS_URL, { keyPrefix: prefix })],
])('rateLimit on the %s store', (_kind, makeStore) => {
  it('answers 429 problem+json with Retry-After past the limit, per key', async () => {
    const app = await appWith(makeStore());
    const post = (email?: string) =>
      app.inject({ method: 'POST', url: '/limited', payload: email ? { email } : {} });
    const email = `${Math.random().toString(36).slice(2)}@example.com`;
    for (let i = 0; i < 3; i++) expect((await post(email)).statusCode).toBe(200);
    const limited = await post(email.toUpperCase());
    const body = expectProblem(limited, 429);
    expect(body.detail).toMatch(/retry after \d+ s/);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another account is counted separately; no key means no limit.
    expect((await post(`other-${email}`)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await post()).statusCode).toBe(200);
  });
});

describe('rateLimit when the shared store is down', () => {
  it('fails open to per-instance counting in memory', async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    const app = await appWith(new RedisStore('redis://127.0.0.1:1', { keyPrefix: prefix }));
    const post = () =>
      app.inject({ method: 'POST', url: '/limited', payload: { email: 'down@example.com' } });
    for (let i = 0; i < 3; i++) expect((await post()).statusCode).toBe(200);
    expectProblem(await post(), 429);
  });
});
