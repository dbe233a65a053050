import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/stores/memory.ts';
import { RedisStore } from '../../src/stores/redis.ts';
import type { KvStore } from '../../src/stores/types.ts';
import {
  buildProbeApp,
  deleteRedisPrefix,
  expectInvalidToken,
  keyServerEnv,
  redisTestPrefix,
  SHARED_REDIS_URL,
  startJwksServer,
  type TestKeyServer,
  testConfig,
} from '../support/index.ts';

const prefix = redisTestPrefix('api-revocation-test');
afterAll(async () => {
  await deleteRedisPrefix(prefix);
});

/**
 * A logged-out token stays refused, whatever its encoding, even when it sits in the verified-token
 * cache — with the in-process store and with the shared Redis.
 */
describe.each([
  ['memory', () => new MemoryStore()],
  ['redis', () => new RedisStore(SHARED_REDIS_URL, { keyPrefix: prefix })],
])('security: logged-out tokens (%s store)', (_kind, makeStore) => {
  let keys: TestKeyServer;
  let app: FastifyInstance;
  let store: KvStore;
  const get = (token: string) =>
    app.inject({ url: '/probe/user', headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    keys = await startJwksServer();
    store = makeStore();
    app = await buildProbeApp(testConfig(keyServerEnv(keys)), { store });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await keys?.stop();
  });

  it('refuses a token revoked by origin_jti, and every token of that sign-in, even from the cache', async () => {
    const claims = keys.accessClaims();
    const token = keys.sign(claims);
    expect((await get(token)).statusCode).toBe(200);
    expect((await get(token)).statusCode).toBe(200); // now served from the verified-token cache
    const hitsBefore = app.verifier.stats.cacheHits;
    await app.revocation.revokeToken({
      sub: String(claims.sub),
      originJti: String(claims.origin_jti),
      jti: String(claims.jti),
      exp: Number(claims.exp),
    });
    expectInvalidToken(await get(token), 'token revoked');
    expect(app.verifier.stats.cacheHits).toBeGreaterThan(hitsBefore);
    // Re-encodings of the same token do not slip past: they are refused before lookup.
    for (const variant of [`${token}=`, token.replace(/\.([^.]+)$/, '.$1==')])
      expectInvalidToken(await get(variant));
    // A refreshed access token of the same sign-in (same origin_jti, new jti) is refused too.
    const refreshed = keys.sign({ ...claims, jti: crypto.randomUUID(), iat: Number(claims.iat) + 1 });
    expectInvalidToken(await get(refreshed), 'token revoked');
  });

  it('refuses a token revoked by jti alone', async () => {
    const claims = keys.accessClaims({ origin_jti: undefined });
    const token = keys.sign(claims);
    expect((await get(token)).statusCode).toBe(200);
    await app.revocation.revokeToken({
      sub: String(claims.sub),
      jti: String(claims.jti),
      exp: Number(claims.exp),
    });
    expectInvalidToken(await get(token), 'token revoked');
  });

  it('refuses tokens issued at or before a per-user cut-off and accepts later ones', async () => {
    const now = Math.floor(Date.now() / 1000);
    const sub = crypto.randomUUID();
    const old = keys.accessToken({ sub, iat: now - 60 });
    expect((await get(old)).statusCode).toBe(200);
    await app.revocation.cutOffUser(sub, now - 1);
    expectInvalidToken(await get(old), 'token revoked');
    // Inclusive (ADR 0070): a token of the cut-off second itself is refused, the next second passes.
    expectInvalidToken(await get(keys.accessToken({ sub, iat: now - 1 })), 'token revoked');
    expect((await get(keys.accessToken({ sub, iat: now }))).statusCode).toBe(200);
    // Other users are not affected.
    expect((await get(keys.accessToken({ iat: now - 60 }))).statusCode).toBe(200);
  });
});
