import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { createPostgresDb, type Db } from '../../src/db/index.ts';
import {
  ADMIN_DATABASE_URL,
  createTestDatabase,
  keyServerEnv,
  openTestPglite,
  startJwksServer,
  type TestKeyServer,
  testConfig,
} from '../support/index.ts';
import { itemStoreCases } from './item-stores.ts';

let keys: TestKeyServer;
const stores = itemStoreCases('apidata_items');

beforeAll(async () => {
  keys = await startJwksServer();
  await stores.setUp();
});
afterAll(async () => {
  await keys?.stop();
  await stores.tearDown();
});

/** The problem body without its per-request id, to compare two answers word for word. */
const stable = (body: string) => {
  const { request_id: _id, ...rest } = JSON.parse(body) as Record<string, unknown>;
  return rest;
};

describe.each(stores.cases)('items and profile on %s', (_kind, store) => {
  let app: FastifyInstance;
  let db: Db;
  const alice = { sub: randomUUID(), username: 'alice@example.com' };
  const bob = { sub: randomUUID(), username: 'bob@example.com' };
  const bearer = (u: { sub: string; username: string }, groups: string[] = []) => ({
    authorization: `Bearer ${keys.accessToken({ sub: u.sub, username: u.username, 'cognito:groups': groups })}`,
  });

  beforeAll(async () => {
    db = await store.open();
    // COGNITO_ENDPOINT on the key server: GetUser gets a 404 there, so profile sync takes its fallback path.
    app = await buildApp(testConfig({ ...keyServerEnv(keys), COGNITO_ENDPOINT: keys.url, ...store.env() }), {
      db,
      migrate: true,
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const create = (user: typeof alice, body: object) =>
    app.inject({ method: 'POST', url: '/api/v1/items', headers: bearer(user), payload: body });

  it('refuses anonymous callers with a bearer challenge', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/items' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api"/);
  });

  it('creates, reads, updates and deletes an item of the caller', async () => {
    const created = await create(alice, { title: 'Buy milk', description: 'two litres' });
    expect(created.statusCode).toBe(201);
    const item = created.json();
    expect(item).toMatchObject({ title: 'Buy milk', description: 'two litres', done: false });
    expect(item.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.headers.location).toBe(`/api/v1/items/${item.id}`);
    expect(Date.parse(item.created_at)).not.toBeNaN();

    const read = await app.inject({ method: 'GET', url: `/api/v1/items/${item.id}`, headers: bearer(alice) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(item);

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/items/${item.id}`,
      headers: bearer(alice),
      payload: { done: true },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id: item.id, title: 'Buy milk', done: true });
    expect(Date.parse(patched.json().updated_at)).toBeGreaterThanOrEqual(Date.parse(item.updated_at));

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/items/${item.id}`,
      headers: bearer(alice),
    });
    expect(deleted.statusCode).toBe(204);
    const gone = await app.inject({ method: 'GET', url: `/api/v1/items/${item.id}`, headers: bearer(alice) });
    expect(gone.statusCode).toBe(404);
  });

  it('lists newest first with limit/offset and the total', async () => {
    const owner = { sub: randomUUID(), username: 'pager@example.com' };
    for (const n of [1, 2, 3, 4, 5])
      expect((await create(owner, { title: `item ${n}` })).statusCode).toBe(201);
    const page = await app.inject({
      method: 'GET',
      url: '/api/v1/items?limit=2&offset=1',
      headers: bearer(owner),
    });
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body.total).toBe(5);
    expect(body.limit).toBe(2);
    expect(body.offset).toBe(1);
    expect(body.items.map((i: { title: string }) => i.title)).toEqual(['item 4', 'item 3']);
    const all = await app.inject({ method: 'GET', url: '/api/v1/items', headers: bearer(owner) });
    expect(all.json().items.map((i: { title: string }) => i.title)).toEqual([
      'item 5',
      'item 4',
      'item 3',
      'item 2',
      'item 1',
    ]);
    expect(all.json().limit).toBe(20);
  });

  it("answers another user's item exactly like a missing one (404), and never lists it", async () => {
    const item = (await create(alice, { title: 'secret of alice' })).json();
    const missingId = randomUUID();
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const payload = method === 'PATCH' ? { title: 'hijacked' } : undefined;
      const theirs = await app.inject({
        method,
        url: `/api/v1/items/${item.id}`,
        headers: bearer(bob),
        payload,
      });
      const missing = await app.inject({
        method,
        url: `/api/v1/items/${missingId}`,
        headers: bearer(bob),
        payload,
      });
      expect(theirs.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
      expect(stable(theirs.body)).toEqual(stable(missing.body));
      expect(theirs.headers['content-type']).toBe(missing.headers['content-type']);
    }
    const list = await app.inject({ method: 'GET', url: '/api/v1/items?limit=100', headers: bearer(bob) });
    expect(list.json().items.find((i: { id: string }) => i.id === item.id)).toBeUndefined();
    // Still intact for its owner.
    const own = await app.inject({ method: 'GET', url: `/api/v1/items/${item.id}`, headers: bearer(alice) });
    expect(own.json()).toMatchObject({ title: 'secret of alice' });
  });

  it.each([
    ['an empty title', 'POST', '/api/v1/items', { title: '' }],
    ['a title over 200 characters', 'POST', '/api/v1/items', { title: 'x'.repeat(201) }],
    ['an unknown field', 'POST', '/api/v1/items', { title: 'ok', owner_sub: 'someone-else' }],
    ['a non-boolean done', 'POST', '/api/v1/items', { title: 'ok', done: 'yes' }],
    ['an empty patch', 'PATCH', `/api/v1/items/${randomUUID()}`, {}],
    ['a malformed id', 'GET', '/api/v1/items/not-a-uuid', undefined],
    ['limit 0', 'GET', '/api/v1/items?limit=0', undefined],
    ['limit 101', 'GET', '/api/v1/items?limit=101', undefined],
    ['a negative offset', 'GET', '/api/v1/items?offset=-1', undefined],
  ] as const)('refuses %s with 400 and field errors', async (_name, method, url, payload) => {
    const res = await app.inject({ method, url, headers: bearer(alice), ...(payload ? { payload } : {}) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const body = res.json();
    expect(body.status).toBe(400);
    expect(body.errors.length).toBeGreaterThan(0);
  });

  it('GET /users/me creates the profile from the token on first use and keeps it', async () => {
    const carol = { sub: randomUUID(), username: 'carol-internal' };
    const first = await app.inject({
      method: 'GET',
      url: '/api/v1/users/me',
      headers: bearer(carol, ['editor']),
    });
    expect(first.statusCode).toBe(200);
    const me = first.json();
    // No reachable IdP here: e-mail and name stay unknown rather than failing the request.
    expect(me).toMatchObject({
      sub: carol.sub,
      username: 'carol-internal',
      email: null,
      name: null,
      groups: ['editor'],
    });
    const second = await app.inject({ method: 'GET', url: '/api/v1/users/me', headers: bearer(carol) });
    expect(second.json()).toMatchObject({ sub: carol.sub, groups: [], created_at: me.created_at });
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from users where sub = $1', [
      carol.sub,
    ]);
    expect(rows[0]?.n).toBe(1);
  });

  it('admin routes are 401 without a token and 403 for a signed-in non-admin', async () => {
    const anon = await app.inject({ method: 'GET', url: '/api/v1/admin/users' });
    expect(anon.statusCode).toBe(401);
    for (const [method, url] of [
      ['GET', '/api/v1/admin/users'],
      ['GET', '/api/v1/admin/groups'],
      ['GET', '/api/v1/admin/users/x/groups'],
      ['POST', '/api/v1/admin/users/x/disable'],
      ['DELETE', '/api/v1/admin/users/x/groups/admin'],
    ] as const) {
      const res = await app.inject({
        method,
        url,
        headers: bearer(alice, ['editor']),
        ...(method === 'POST' ? { payload: {} } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
      expect(res.json()).toMatchObject({ status: 403 });
    }
  });
});

/**
 * While a store is down: listing and creating items both answer 503, the listing as
 * problem+json with nothing in its body matching `leak` (the store's own words or address).
 */
async function expectItemsDown(app: FastifyInstance, headers: Record<string, string>, leak: RegExp) {
  const down = await app.inject({ method: 'GET', url: '/api/v1/items', headers });
  expect(down.statusCode).toBe(503);
  expect(down.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(down.body).not.toMatch(leak);
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/items',
    headers,
    payload: { title: 'x' },
  });
  expect(created.statusCode).toBe(503);
}

describe('database outage', () => {
  it('answers 503 problem+json while DynamoDB is unreachable, /ready names the items store, and recovers', async () => {
    // dynalite on disk, so a second server on the same port and folder finds the same table.
    const dir = await mkdtemp(join(tmpdir(), 'dynalite-outage-'));
    const listen = async (port: number) => {
      const server = dynalite({ path: dir, createTableMs: 0 });
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      return server;
    };
    let server = await listen(0);
    const port = (server.address() as AddressInfo).port;
    const stop = async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // the SDK's kept-alive sockets
      await closed;
    };
    const db = await openTestPglite();
    const app = await buildApp(
      testConfig({
        ...keyServerEnv(keys),
        ITEMS_STORE: 'dynamodb',
        DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}`,
        DYNAMODB_TABLE: 'items_outage',
      }),
      { db, migrate: true },
    );
    const headers = { authorization: `Bearer ${keys.accessToken()}` };
    try {
      expect((await app.inject({ method: 'GET', url: '/api/v1/items', headers })).statusCode).toBe(200);

      await stop();
      await expectItemsDown(app, headers, /ECONN|dynamo|127\.0\.0\.1/i);
      const ready = await app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks).toMatchObject({ database: 'ok', items: expect.not.stringMatching(/^ok$/) });

      server = await listen(port);
      expect((await app.inject({ method: 'GET', url: '/api/v1/items', headers })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await db.close();
      await stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers 503 problem+json while Postgres refuses connections, and recovers when it is back', async () => {
    const outage = await createTestDatabase('apidata_outage');
    const db = createPostgresDb(outage.url, { connectionTimeoutMillis: 2000 });
    const app = await buildApp(testConfig(keyServerEnv(keys)), { db, migrate: true });
    const headers = { authorization: `Bearer ${keys.accessToken()}` };
    try {
      expect((await app.inject({ method: 'GET', url: '/api/v1/items', headers })).statusCode).toBe(200);

      const admin = createPostgresDb(ADMIN_DATABASE_URL);
      await admin.query(`alter database "${outage.name}" allow_connections false`);
      await outage.terminateConnections();
      await expectItemsDown(app, headers, /ECONN|terminat|pg_|postgres/i);

      await admin.query(`alter database "${outage.name}" allow_connections true`);
      await admin.close();
      const back = await app.inject({ method: 'GET', url: '/api/v1/items', headers });
      expect(back.statusCode).toBe(200);
    } finally {
      await app.close();
      await db.close();
      await outage.drop();
    }
  });
});
