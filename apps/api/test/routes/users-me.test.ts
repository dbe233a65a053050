import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { createPostgresDb, type Db } from '../../src/db/index.ts';
import { LAST_SEEN_EVERY_MS } from '../../src/services/users.ts';
import {
  createTestDatabase,
  keyServerEnv,
  openTestPglite,
  startJwksServer,
  type TestDatabase,
  type TestKeyServer,
  testConfig,
} from '../support/index.ts';

let keys: TestKeyServer;
let pgDb: TestDatabase;

beforeAll(async () => {
  keys = await startJwksServer();
  pgDb = await createTestDatabase('apidata_me');
});
afterAll(async () => {
  await keys?.stop();
  await pgDb?.drop();
});

const engines: Array<[string, () => Promise<Db>]> = [
  ['pglite', () => openTestPglite()],
  ['postgres', async () => createPostgresDb(pgDb.url)],
];

// ADR 0096: GET /users/me is a read; last_seen_at is written at most once per LAST_SEEN_EVERY_MS.
describe.each(engines)('GET /users/me last-seen throttling on %s', (_kind, open) => {
  let app: FastifyInstance;
  let db: Db;
  const dave = { sub: randomUUID(), username: 'dave@example.com' };
  const me = () =>
    app.inject({
      method: 'GET',
      url: '/api/v1/users/me',
      headers: { authorization: `Bearer ${keys.accessToken({ sub: dave.sub, username: dave.username })}` },
    });
  /** Sets last_seen_at to `secondsAgo` before the database's now and returns it as stored. */
  const seenAgo = async (secondsAgo: number) => {
    const { rows } = await db.query<{ t: string }>(
      `update users set last_seen_at = now() - make_interval(secs => $2) where sub = $1
       returning last_seen_at::text as t`,
      [dave.sub, secondsAgo],
    );
    return rows[0]!.t;
  };
  const lastSeen = async () =>
    (
      await db.query<{ t: string; fresh: boolean }>(
        `select last_seen_at::text as t, last_seen_at > now() - interval '1 minute' as fresh
         from users where sub = $1`,
        [dave.sub],
      )
    ).rows[0]!;

  beforeAll(async () => {
    db = await open();
    app = await buildApp(testConfig({ ...keyServerEnv(keys), COGNITO_ENDPOINT: keys.url }), {
      db,
      migrate: true,
    });
    // A profile synced moments ago, as after sign-in: no IdP call on the requests below.
    await db.query(
      `insert into users (sub, username, email, name, synced_at) values ($1, $2, $2, 'Dave', now())`,
      [dave.sub, dave.username],
    );
    // PGlite's first open (WASM) can take a minute on 2 busy cores.
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('does not write last_seen_at while it is recent', async () => {
    const before = await seenAgo(LAST_SEEN_EVERY_MS / 1000 / 2);
    for (let i = 0; i < 3; i++) {
      const res = await me();
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ sub: dave.sub, email: dave.username, name: 'Dave' });
    }
    expect((await lastSeen()).t).toBe(before);
  });

  it('writes it again once it is older than the interval', async () => {
    const before = await seenAgo(LAST_SEEN_EVERY_MS / 1000 + 60);
    expect((await me()).statusCode).toBe(200);
    const after = await lastSeen();
    expect(after.t).not.toBe(before);
    expect(after.fresh).toBe(true);
  });
});
