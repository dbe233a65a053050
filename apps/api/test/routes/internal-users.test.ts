import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { createPostgresDb, type Db } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase, testConfig } from '../support/index.ts';

// ADR 0155: under npm start with PGlite, the PostConfirmation trigger writes the user's row through
// the API's loopback-only, key-protected /_internal/users.
describe('POST /_internal/users (npm start provisioning)', () => {
  const token = randomBytes(32).toString('base64url');
  let database: TestDatabase;
  let db: Db;
  let app: FastifyInstance;
  let plain: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase('apidata_internal');
    db = createPostgresDb(database.url);
    app = await buildApp(testConfig({ INTERNAL_PROVISIONING_TOKEN: token }), { db, migrate: true });
    plain = await buildApp(testConfig(), { db });
  });
  afterAll(async () => {
    await app?.close();
    await plain?.close();
    await db?.close();
    await database?.drop();
  });

  const post = (
    target: FastifyInstance,
    body: Record<string, unknown>,
    o: { key?: string; remoteAddress?: string } = {},
  ) =>
    target.inject({
      method: 'POST',
      url: '/_internal/users',
      payload: body,
      ...(o.remoteAddress ? { remoteAddress: o.remoteAddress } : {}),
      headers: o.key === undefined ? {} : { authorization: `Bearer ${o.key}` },
    });
  const rowsOf = async (sub: string) =>
    (
      await db.query<{ username: string; email: string | null; name: string | null; synced: boolean }>(
        'select username, email, name, synced_at is not null as synced from users where sub = $1',
        [sub],
      )
    ).rows;

  it('writes the row once, idempotently, for a loopback caller with the key', async () => {
    const sub = randomUUID();
    const user = { sub, username: sub, email: 'new@example.com', name: 'New' };
    expect((await post(app, user, { key: token })).statusCode).toBe(204);
    // A repeat (ConfirmForgotPassword, a retried call) changes nothing but keeps the e-mail.
    expect((await post(app, { ...user, email: null }, { key: token })).statusCode).toBe(204);
    expect(await rowsOf(sub)).toEqual([
      { username: sub, email: 'new@example.com', name: 'New', synced: true },
    ]);
  });

  it('answers 404 without the key, with a wrong one, from another host, or when npm start set none', async () => {
    const sub = randomUUID();
    const user = { sub, username: sub };
    expect((await post(app, user)).statusCode).toBe(404);
    expect((await post(app, user, { key: `${token}x` })).statusCode).toBe(404);
    expect((await post(app, user, { key: token, remoteAddress: '10.0.0.7' })).statusCode).toBe(404);
    expect((await post(plain, user, { key: token })).statusCode).toBe(404);
    // A stranger's malformed body is refused before it is read: 404, not a validation answer.
    expect((await post(app, { nonsense: true })).statusCode).toBe(404);
    expect(await rowsOf(sub)).toEqual([]);
  });

  it('validates the body for the key holder and is not in the published API description', async () => {
    expect((await post(app, { username: 'no-sub' }, { key: token })).statusCode).toBe(400);
    const doc = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.body).not.toContain('_internal');
  });

  it('GET /_internal/users/:sub answers the plan to the key holder only (null before the row exists)', async () => {
    const sub = randomUUID();
    const get = (o: { key?: string; remoteAddress?: string } = {}) =>
      app.inject({
        method: 'GET',
        url: `/_internal/users/${sub}`,
        ...(o.remoteAddress ? { remoteAddress: o.remoteAddress } : {}),
        headers: o.key === undefined ? {} : { authorization: `Bearer ${o.key}` },
      });
    expect((await get({ key: token })).json()).toEqual({ plan: null });
    await post(app, { sub, username: sub }, { key: token });
    await db.query(`update users set plan = 'pro' where sub = $1`, [sub]);
    const answer = await get({ key: token });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ plan: 'pro' });
    expect((await get()).statusCode).toBe(404);
    expect((await get({ key: `${token}x` })).statusCode).toBe(404);
    expect((await get({ key: token, remoteAddress: '10.0.0.7' })).statusCode).toBe(404);
  });
});
