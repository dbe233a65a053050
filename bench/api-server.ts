/**
 * The bench's server processes (one core each, never the load generator's event loop):
 * - BENCH_SERVER=bare: bare Fastify 5 answering the same JSON as our probe route;
 * - BENCH_SERVER=api: the whole API (`buildApp`, production plugins and logging to /dev/null) with two
 *   probe routes that differ only by the guard, and one synced user row and item seeded, so
 *   `GET /users/me` and `GET /items/:id` do their steady-state work.
 * Sends `{ port }` over IPC when listening.
 */
import type { AddressInfo } from 'node:net';

const role = process.env.BENCH_SERVER;
const reply = async () => ({ ok: true, at: 'bench' });

if (role === 'bare') {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  app.get('/bench/public', reply);
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ port: (app.server.address() as AddressInfo).port });
  // A graceful exit, so BENCH_CPU_PROF gets this process's profile too.
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
} else if (role === 'api') {
  const { buildApp, loadConfig, requireUser, RedisStore } = await import('@app/api');
  const config = loadConfig();
  const store = config.redis
    ? new RedisStore(config.redis.url, {
        keyPrefix: process.env.BENCH_REDIS_PREFIX ?? 'bench:',
        cluster: config.redis.cluster,
      })
    : undefined;
  const app = await buildApp(config, {
    verifier: { cacheMax: Number(process.env.BENCH_CACHE_MAX ?? 10_000) },
    ...(store ? { store } : {}),
    extraRoutes: (scope) => {
      scope.get('/bench/public', reply);
      scope.get('/bench/private', { preHandler: requireUser() }, reply);
    },
  });
  await app.ready();
  // Steady state: the profile was synced from the IdP moments ago, and the caller owns one item.
  const sub = process.env.BENCH_SUB!;
  await app.db.query(
    `insert into users (sub, username, email, name, synced_at) values ($1, $2, $3, $4, now())
     on conflict (sub) do update set synced_at = now()`,
    [sub, 'user@example.com', 'user@example.com', 'Bench User'],
  );
  await app.db.query(
    `insert into items (id, owner_sub, title) values ($1, $2, 'bench item') on conflict (id) do nothing`,
    [process.env.BENCH_ITEM_ID!, sub],
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ port: (app.server.address() as AddressInfo).port });
  process.on('SIGTERM', () => {
    void app.close().then(async () => {
      await store?.close();
      process.exit(0);
    });
  });
} else {
  throw new Error('BENCH_SERVER must be bare or api');
}
