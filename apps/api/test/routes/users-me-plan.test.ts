import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { createPostgresDb, type Db } from '../../src/db/index.ts';
import {
  createTestDatabase,
  keyServerEnv,
  startJwksServer,
  type TestDatabase,
  type TestKeyServer,
  testConfig,
} from '../support/index.ts';

// ADR 0122: the PreTokenGeneration trigger puts the user's plan in the access token; the API reads it
// from there (no query per request) and shows it on /users/me.
describe('GET /users/me reads the plan claim', () => {
  let keys: TestKeyServer;
  let database: TestDatabase;
  let db: Db;
  let app: FastifyInstance;
  const user = { sub: randomUUID(), username: 'plan@example.com' };

  beforeAll(async () => {
    keys = await startJwksServer();
    database = await createTestDatabase('apidata_plan');
    db = createPostgresDb(database.url);
    app = await buildApp(testConfig({ ...keyServerEnv(keys), COGNITO_ENDPOINT: keys.url }), {
      db,
      migrate: true,
    });
    await db.query(
      `insert into users (sub, username, email, name, synced_at) values ($1, $2, $2, 'Plan', now())`,
      [user.sub, user.username],
    );
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await database?.drop();
    await keys?.stop();
  });

  const me = (claims: Record<string, unknown>) =>
    app.inject({
      method: 'GET',
      url: '/api/v1/users/me',
      headers: { authorization: `Bearer ${keys.accessToken({ ...user, ...claims })}` },
    });

  it('returns the token’s plan, leaves it out without the claim, ignores unknown values', async () => {
    expect((await me({ plan: 'pro' })).json()).toMatchObject({ sub: user.sub, plan: 'pro' });
    expect((await me({})).json().plan).toBeUndefined();
    expect((await me({ plan: 'enterprise' })).json().plan).toBeUndefined();
  });

  it('the database column the trigger reads defaults to free and takes only known plans', async () => {
    const { rows } = await db.query<{ plan: string }>('select plan from users where sub = $1', [user.sub]);
    expect(rows[0]!.plan).toBe('free');
    await expect(db.query(`update users set plan = 'gold' where sub = $1`, [user.sub])).rejects.toThrow();
  });
});
