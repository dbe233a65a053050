import { once } from 'node:events';
import { join } from 'node:path';
import { startStack } from '@app/stack';
import type { FastifyInstance } from 'fastify';
import type { AppOverrides } from '../../src/app.ts';
import type { AppConfig } from '../../src/config.ts';
import { createPostgresDb, type Db } from '../../src/db/index.ts';
import { RedisStore } from '../../src/stores/index.ts';
import {
  createTestDatabase,
  deleteRedisPrefix,
  redisTestPrefix,
  SHARED_REDIS_URL,
  type TestDatabase,
  type TestIdp,
  type TestIdpOptions,
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
 * prefix on the shared server — what the auth-flow files run on, wired by packages/stack's
 * startStack() like every other stack. `logger` lets a file capture logs.
 */
export async function startRealStack(
  name: string,
  opts: {
    users: TestIdpOptions['users'];
    /** The IdP's clock (default: the system clock, shared with the API). */
    idpClock?: () => number;
    logger?: (config: AppConfig) => AppOverrides['logger'];
    /** The auth endpoints' SDK client / answer floor, made once the IdP is up (e.g. a counted client). */
    auth?: (idp: TestIdp) => AppOverrides['auth'];
  },
): Promise<RealStack> {
  // The database and Redis get ready while the IdP starts.
  const redisPrefix = redisTestPrefix(`apidata-${name}`);
  const store = new RedisStore(SHARED_REDIS_URL, { keyPrefix: redisPrefix });
  const data = (async () => {
    const pgDb: TestDatabase = await createTestDatabase(`apidata_${name}`);
    if (store.client.status !== 'ready') await once(store.client, 'ready');
    return { pgDb, db: createPostgresDb(pgDb.url) };
  })();
  data.catch(() => {}); // awaited below or in overrides
  let idp: TestIdp | undefined;
  const stack = await startStack({
    web: false,
    idp: { users: opts.users ?? [], ...(opts.idpClock ? { clock: opts.idpClock } : {}) },
    api: {
      listen: false,
      settings: { WEB_ORIGIN: 'http://localhost:5173' },
      overrides: async ({ idp: started, config }) => {
        idp = { ...started, dataDir: '', stop: async () => {} };
        const logger = opts.logger?.(config);
        const auth = opts.auth?.(idp);
        const { db } = await data;
        return { db, store, migrate: true, ...(logger ? { logger } : {}), ...(auth ? { auth } : {}) };
      },
    },
  });
  const { pgDb, db } = await data;
  idp!.dataDir = join(stack.dataDir, 'idp');
  return {
    idp: idp!,
    db,
    store,
    app: stack.api!.app!,
    redisPrefix,
    async close() {
      await stack.stop();
      await db.close();
      await store.close();
      await Promise.all([pgDb.drop(), deleteRedisPrefix(redisPrefix)]);
    },
  };
}
