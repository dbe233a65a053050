import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { type AppOverrides, buildApp } from '../../src/app.ts';
import { createPostgresDb, type Db } from '../../src/db/index.ts';
import { RedisStore } from '../../src/stores/index.ts';
import {
  createTestDatabase,
  deleteRedisPrefix,
  idpEnv,
  redisTestPrefix,
  SHARED_REDIS_URL,
  startTestIdp,
  type TestDatabase,
  type TestIdp,
  testConfig,
} from '../support/index.ts';

export interface RealStack {
  idp: TestIdp;
  db: Db;
  store: RedisStore;
  app: FastifyInstance;
  redisPrefix: string;
  close(): Promise<void>;
}

/**
 * The real API against the real local IdP, its own Postgres database and a private Redis key
 * prefix on the shared server — what the auth-flow files run on. `logger` lets a file capture logs.
 */
export async function startRealStack(
  name: string,
  opts: {
    users: NonNullable<Parameters<typeof startTestIdp>[0]>['users'];
    /** The IdP's clock (default: the system clock, shared with the API). */
    idpClock?: () => number;
    logger?: (config: ReturnType<typeof testConfig>) => AppOverrides['logger'];
    /** The auth endpoints' SDK client / answer floor, made once the IdP is up (e.g. a counted client). */
    auth?: (idp: TestIdp) => AppOverrides['auth'];
  },
): Promise<RealStack> {
  const [idp, pgDb]: [TestIdp, TestDatabase] = await Promise.all([
    startTestIdp({ users: opts.users, ...(opts.idpClock ? { clock: opts.idpClock } : {}) }),
    createTestDatabase(`apidata_${name}`),
  ]);
  const redisPrefix = redisTestPrefix(`apidata-${name}`);
  const db = createPostgresDb(pgDb.url);
  const store = new RedisStore(SHARED_REDIS_URL, { keyPrefix: redisPrefix });
  if (store.client.status !== 'ready') await once(store.client, 'ready');
  const config = testConfig(idpEnv(idp));
  const logger = opts.logger?.(config);
  const auth = opts.auth?.(idp);
  const app = await buildApp(config, {
    db,
    store,
    migrate: true,
    ...(logger ? { logger } : {}),
    ...(auth ? { auth } : {}),
  });
  return {
    idp,
    db,
    store,
    app,
    redisPrefix,
    async close() {
      await app.close();
      await db.close();
      await store.close();
      await Promise.all([idp.stop(), pgDb.drop(), deleteRedisPrefix(redisPrefix)]);
    },
  };
}
