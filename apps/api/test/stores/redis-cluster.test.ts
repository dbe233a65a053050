import type { FastifyInstance } from 'fastify';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Revocation, revocationKeys } from '../../src/auth/revocation.ts';
import { RedisStore } from '../../src/stores/redis.ts';
import {
  buildProbeApp,
  expectInvalidToken,
  keyServerEnv,
  startJwksServer,
  type TestKeyServer,
  testConfig,
} from '../support/index.ts';
import { type PrivateRedisCluster, startRedisCluster } from '../support/redis-cluster.ts';

async function ready(store: RedisStore): Promise<void> {
  const client = store.client;
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cluster client stuck in ${client.status}`)), 20_000);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Cluster mode (ElastiCache cluster mode, ElastiCache Serverless) refuses a multi-key command whose
 * keys hash to different slots. A real 3-master Redis Cluster of Debian's redis-server, started here,
 * checks that the revocation MGET and everything else the API does work there (ADR 0175).
 */
describe('Redis Cluster (3 masters on loopback)', () => {
  let cluster: PrivateRedisCluster;
  let store: RedisStore;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    store = new RedisStore(cluster.url, { cluster: true });
    await ready(store);
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
  });

  it('refuses an MGET across slots (the check is live: the old key layout failed here)', async () => {
    expect(store.client).toBeInstanceOf(Cluster);
    const old = ['rv:jti:a-token', 'rv:nbf:a-user', 'rv:ojti:a-session'];
    // ioredis refuses it before sending (auto-pipelining), and the server itself does too.
    await expect(store.getMany(old)).rejects.toThrow(/same slot/);
    const node = new Redis({ port: cluster.ports[0]!, host: '127.0.0.1' });
    try {
      await expect(node.mget(old.map((k) => `api:${k}`))).rejects.toThrow(/CROSSSLOT/);
    } finally {
      node.disconnect();
    }
  });

  it('checks, writes and cuts off revocations for users whose keys live on different masters', async () => {
    const rev = new Revocation(store);
    const now = Math.floor(Date.now() / 1000);
    const users = Array.from({ length: 24 }, (_, i) => ({
      sub: crypto.randomUUID(),
      jti: `jti-${i}-${crypto.randomUUID()}`,
      originJti: `ojti-${i}-${crypto.randomUUID()}`,
      iat: now - 10,
      exp: now + 3600,
    }));
    for (const u of users) expect(await rev.isRevoked(u)).toBe(false);
    for (const u of users.slice(0, 8)) await rev.revokeToken(u);
    for (const u of users.slice(8, 16)) await rev.cutOffUser(u.sub, now);
    for (const u of users.slice(0, 8)) {
      expect(await rev.isRevoked(u)).toBe(true);
      // A refreshed token of the same sign-in: new jti, same origin_jti.
      expect(await rev.isRevoked({ ...u, jti: crypto.randomUUID() })).toBe(true);
    }
    for (const u of users.slice(8, 16)) {
      expect(await rev.isRevoked(u)).toBe(true);
      expect(await rev.isRevoked({ ...u, iat: now + 1 })).toBe(false);
      expect(await rev.cutOffOf(u.sub)).toBe(now);
    }
    for (const u of users.slice(16)) expect(await rev.isRevoked(u)).toBe(false);

    // The entries really are spread over the masters (the tag is per user, not one hot slot).
    const perMaster = await Promise.all(
      cluster.ports.map(async (port) => {
        const node = new Redis({ port, host: '127.0.0.1' });
        try {
          return await node.dbsize();
        } finally {
          node.disconnect();
        }
      }),
    );
    expect(perMaster.filter((n) => n > 0).length).toBeGreaterThan(1);
    // And one user's keys share one slot.
    const u = users[0]!;
    const slots = await Promise.all(
      [
        revocationKeys.jti(u.sub, u.jti),
        revocationKeys.cutOff(u.sub),
        revocationKeys.originJti(u.sub, 'x'),
      ].map((k) => store.client.cluster('KEYSLOT', `api:${k}`)),
    );
    expect(new Set(slots).size).toBe(1);
  });

  it('counts rate-limit hits and keeps the larger cut-off (Lua scripts routed by key)', async () => {
    const key = `rl:${crypto.randomUUID()}`;
    expect((await store.hit(key, 30)).count).toBe(1);
    expect((await store.hit(key, 30)).count).toBe(2);
    const max = `max:${crypto.randomUUID()}`;
    await store.setMax(max, 100, 60);
    await store.setMax(max, 50, 60);
    expect(await store.getMany([max])).toEqual(['100']);
    await store.del(max);
    expect(await store.getMany([max])).toEqual([null]);
  });

  describe('the app, configured with REDIS_URL + REDIS_CLUSTER=true', () => {
    let keys: TestKeyServer;
    let app: FastifyInstance;
    const get = (token: string) =>
      app.inject({ url: '/probe/user', headers: { authorization: `Bearer ${token}` } });

    beforeAll(async () => {
      keys = await startJwksServer();
      app = await buildProbeApp(
        testConfig({ ...keyServerEnv(keys), REDIS_URL: cluster.url, REDIS_CLUSTER: 'true' }),
      );
      await ready(app.store as RedisStore);
    });
    afterAll(async () => {
      await app?.close();
      await keys?.stop();
    });

    it('uses a cluster client, reports the store ready, and refuses a signed-out session', async () => {
      expect((app.store as RedisStore).client).toBeInstanceOf(Cluster);
      expect((await app.inject({ url: '/ready' })).json().checks.store).toBe('ok');
      const claims = keys.accessClaims();
      const token = keys.sign(claims);
      expect((await get(token)).statusCode).toBe(200);
      await app.revocation.revokeToken({
        sub: String(claims.sub),
        originJti: String(claims.origin_jti),
        jti: String(claims.jti),
        exp: Number(claims.exp),
      });
      expectInvalidToken(await get(token), 'token revoked');
      const later = keys.accessClaims();
      expect((await get(keys.sign(later))).statusCode).toBe(200);
      await app.revocation.cutOffUser(String(later.sub), Number(later.iat));
      expectInvalidToken(await get(keys.sign(later)), 'token revoked');
    });
  });
});
