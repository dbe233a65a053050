/**
 * The servers `bench/limits.ts` measures, in one child process (the load generator runs elsewhere),
 * each a bare Fastify 5 with one JSON route and one guard, so the guard's cost is all that differs:
 * none; our `rateLimit` preHandler on Redis (Lua INCR+PEXPIRE, hashed keys, per-instance fallback);
 * @fastify/rate-limit on Redis (its own script, `skipOnError`) as a preHandler; and our
 * load-shedding plugin (ADR 0112). Prints one JSON line with the ports, then waits to be killed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { MemoryStore, RedisStore, rateLimit } from '@app/api';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { pressurePlugin } from '../../apps/api/src/plugins/external/pressure.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench-limits:${randomBytes(4).toString('hex')}:`;
// Never reached: the bench measures the allowed path, which every request takes.
const max = 1e9;
const windowSeconds = 60;
const byIp = (ip: string) => createHash('sha256').update(ip).digest('base64url').slice(0, 32);

async function serve(setup: (app: FastifyInstance) => Promise<void>): Promise<number> {
  const app = Fastify({ logger: false });
  await setup(app);
  app.get('/limited', async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as { port: number }).port;
}

const ports = {
  none: await serve(async () => {}),
  ours: await serve(async (app) => {
    app.decorate('store', new RedisStore(redisUrl, { keyPrefix: prefix }));
    app.decorate('rateLimitFallback', new MemoryStore());
    app.addHook('preHandler', rateLimit({ name: 'bench', max, windowSeconds, key: (r) => r.ip }));
  }),
  library: await serve(async (app) => {
    const redis = new Redis(redisUrl, {
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    });
    await app.register(fastifyRateLimit, {
      global: false,
      redis,
      nameSpace: `${prefix}lib:`,
      skipOnError: true,
      hook: 'preHandler',
    });
    app.addHook(
      'preHandler',
      app.rateLimit({ max, timeWindow: windowSeconds * 1000, keyGenerator: (r) => `bench:${byIp(r.ip)}` }),
    );
  }),
  pressure: await serve(async (app) => {
    await app.register(pressurePlugin, {});
  }),
};
console.log(JSON.stringify({ pid: process.pid, ports }));
