import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildProbeApp,
  createTestDatabase,
  expectProblem,
  keyServerEnv,
  startJwksServer,
  type TestDatabase,
  type TestKeyServer,
  testConfig,
} from '../support/index.ts';

/** Kills the API's connections to its own throw-away database, as a failover or a DBA would. */
describe('fault: Postgres connections are killed', () => {
  let keys: TestKeyServer;
  let db: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    keys = await startJwksServer();
    db = await createTestDatabase('api_fault');
    app = await buildProbeApp(testConfig({ ...keyServerEnv(keys), DATABASE_URL: db.url }), {
      extraRoutes: (scope) => {
        // A slow query, so a connection is busy when it is killed.
        scope.get('/db-sleep', async () => {
          await scope.db.query('select pg_sleep(5)');
          return { slept: true };
        });
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await keys?.stop();
  });

  it('answers 503 for the request in flight, then recovers without a restart', async () => {
    const auth = { authorization: `Bearer ${keys.accessToken()}` };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/items',
      headers: auth,
      payload: { title: 'before' },
    });
    expect(created.statusCode, created.body).toBe(201);

    const inflight = app.inject({ url: '/db-sleep' });
    // Wait until the sleep is running, then kill every connection of this database.
    let killed = 0;
    for (let i = 0; i < 50 && killed === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      killed = await db.terminateConnections();
    }
    expect(killed).toBeGreaterThan(0);
    const res = await inflight;
    const body = expectProblem(res, 503);
    expect(res.body).not.toMatch(/terminat|postgres|57P01/i);
    expect(body.request_id).toBe(res.headers['x-request-id']);

    // The process is alive and the pool reconnects: the same data is there.
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    const list = await app.inject({ url: '/api/v1/items', headers: auth });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((i: { title: string }) => i.title)).toEqual(['before']);
    expect((await app.inject({ url: '/ready' })).json().checks.database).toBe('ok');
  });
});
