import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevocationUnavailableError } from '../../src/auth/revocation.ts';
import { toProblem } from '../../src/plugins/app/error-handler.ts';
import { rateLimit } from '../../src/plugins/app/rate-limit.ts';
import { RedisStore } from '../../src/stores/redis.ts';
import {
  buildProbeApp,
  expectProblem,
  keyServerEnv,
  type PrivateRedis,
  startJwksServer,
  startPrivateRedis,
  type TestKeyServer,
  testConfig,
} from '../support/index.ts';

/** Uses its own redis-server on a random port: stopping the shared one would break everybody else. */
describe('fault: Redis stops and restarts', () => {
  let redis: PrivateRedis;
  let keys: TestKeyServer;
  let app: FastifyInstance;
  let store: RedisStore;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    keys = await startJwksServer();
    store = new RedisStore(redis.url, { commandTimeoutMs: 500 });
    app = await buildProbeApp(testConfig(keyServerEnv(keys)), {
      store,
      extraRoutes: (scope) => {
        scope.get(
          '/limited',
          { preHandler: rateLimit({ name: 'fault', max: 1000, windowSeconds: 60, key: (r) => r.ip }) },
          async () => ({ ok: true }),
        );
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await keys?.stop();
    await redis?.stop();
  });

  async function until(fn: () => Promise<boolean>, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await fn()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('condition not reached in time');
  }

  it('fails closed on revocation (503), open on rate limits, and recovers by itself', async () => {
    const claims = keys.accessClaims();
    const token = keys.sign(claims);
    const authed = () => app.inject({ url: '/probe/user', headers: { authorization: `Bearer ${token}` } });
    expect((await authed()).statusCode).toBe(200);
    await app.revocation.revokeToken({
      sub: String(claims.sub),
      jti: 'other-token',
      exp: Number(claims.exp),
    });

    await redis.stop();
    const down = await authed();
    expect(expectProblem(down, 503).detail).toBe('Token revocation cannot be checked right now.');
    expect((await app.inject({ url: '/limited' })).statusCode).toBe(200);
    const ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.store).toBe('unavailable');
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    // Writing a revocation (logout) during the outage fails loudly, never a silent success: a typed
    // error the error handler answers with 503.
    const writeFailure = await app.revocation
      .revokeToken({ sub: String(claims.sub), jti: 'x', exp: Number(claims.exp) })
      .catch((e) => e);
    expect(writeFailure).toBeInstanceOf(RevocationUnavailableError);
    expect(writeFailure.operation).toBe('write');
    expect(toProblem(writeFailure).status).toBe(503);

    await redis.start();
    await until(async () => (await authed()).statusCode === 200);
    expect((await app.inject({ url: '/ready' })).json().checks.store).toBe('ok');
    // Data written before the restart is gone (no persistence here): revocations written now work again.
    await app.revocation.revokeToken({
      sub: String(claims.sub),
      originJti: String(claims.origin_jti),
      jti: String(claims.jti),
      exp: Number(claims.exp),
    });
    expect((await authed()).statusCode).toBe(401);
  });
});
