import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { Db } from '../../src/db/index.ts';
import {
  expectProblem,
  keyServerEnv,
  startJwksServer,
  type TestKeyServer,
  testConfig,
} from '../support/index.ts';
import { itemStoreCases } from './item-stores.ts';

let keys: TestKeyServer;
const stores = itemStoreCases('apidata_itemsv');

beforeAll(async () => {
  keys = await startJwksServer();
  await stores.setUp();
});
afterAll(async () => {
  await keys?.stop();
  await stores.tearDown();
});

interface Page {
  items: Array<{ id: string; title: string }>;
  total: number;
  offset: number;
  next_cursor: string | null;
}

/** Cursor paging and conditional writes: the same behaviour on every items store (ADRs 0090, 0091). */
describe.each(stores.cases)('item cursors and versions on %s', (kind, store) => {
  let app: FastifyInstance;
  let db: Db;
  const headersFor = (sub: string) => ({
    authorization: `Bearer ${keys.accessToken({ sub, username: `${sub}@example.com` })}`,
  });

  beforeAll(async () => {
    db = await store.open();
    app = await buildApp(testConfig({ ...keyServerEnv(keys), ...store.env() }), { db, migrate: true });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const create = async (sub: string, title: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/items',
      headers: headersFor(sub),
      payload: { title },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number };
  };
  const list = async (sub: string, query: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/items?${query}`, headers: headersFor(sub) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };
  const titles = (page: Page) => page.items.map((i) => i.title);

  it("deleteAllOf (account deletion, ADR 0150) removes every item of the owner and none of another's", async () => {
    const [leaver, stayer] = [randomUUID(), randomUUID()];
    for (const n of [1, 2, 3]) await create(leaver, `gone ${n}`);
    await create(stayer, 'kept');
    expect(await app.items.deleteAllOf(leaver)).toBe(3);
    expect((await list(leaver, 'limit=5')).total).toBe(0);
    expect((await list(stayer, 'limit=5')).total).toBe(1);
    expect(await app.items.deleteAllOf(leaver)).toBe(0);
  });

  it('pages with cursors that newer items do not shift, ending with a null cursor', async () => {
    const sub = randomUUID();
    for (const n of [1, 2, 3, 4, 5]) await create(sub, `item ${n}`);
    const first = await list(sub, 'limit=2');
    expect(titles(first)).toEqual(['item 5', 'item 4']);
    expect(first.next_cursor).toEqual(expect.any(String));

    // Two newer items would push an offset page along by two; the cursor page stays put.
    await create(sub, 'item 6');
    await create(sub, 'item 7');
    const second = await list(sub, `limit=2&cursor=${first.next_cursor}`);
    expect(titles(second)).toEqual(['item 3', 'item 2']);
    expect(second.total).toBe(7);
    expect(second.offset).toBe(0);
    const third = await list(sub, `limit=2&cursor=${second.next_cursor}`);
    expect(titles(third)).toEqual(['item 1']);
    expect(third.next_cursor).toBeNull();
    expect((await list(sub, 'limit=7')).next_cursor).toBeNull();
    expect(titles(await list(sub, 'limit=3&offset=2'))).toEqual(['item 5', 'item 4', 'item 3']);
    expect(titles(await list(sub, 'limit=3&offset=9'))).toEqual([]);
  });

  it('a cursor still continues after the item it names is deleted, and edits move nothing', async () => {
    const sub = randomUUID();
    const made: { id: string }[] = [];
    for (const n of [1, 2, 3, 4, 5]) made.push(await create(sub, `item ${n}`));
    const first = await list(sub, 'limit=2');
    expect(titles(first)).toEqual(['item 5', 'item 4']);
    // The page's last item (the cursor's own position) and the one before it go; item 3 is edited.
    for (const gone of [made[3]!, made[4]!]) {
      const del = await app.inject({
        method: 'DELETE',
        url: `/api/v1/items/${gone.id}`,
        headers: headersFor(sub),
      });
      expect(del.statusCode).toBe(204);
    }
    const edit = await app.inject({
      method: 'PATCH',
      url: `/api/v1/items/${made[2]!.id}`,
      headers: headersFor(sub),
      payload: { title: 'item 3, edited' },
    });
    expect(edit.statusCode).toBe(200);
    const second = await list(sub, `limit=2&cursor=${first.next_cursor}`);
    expect(titles(second)).toEqual(['item 3, edited', 'item 2']);
    const third = await list(sub, `limit=2&cursor=${second.next_cursor}`);
    expect(titles(third)).toEqual(['item 1']);
    expect(third.next_cursor).toBeNull();
  });

  it("a cursor from another user's list only ever pages through the caller's own items", async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    for (const n of [1, 2, 3]) await create(alice, `alice ${n}`);
    await create(bob, 'bob 1');
    const alicePage = await list(alice, 'limit=1');
    const bobPage = await list(bob, `limit=5&cursor=${alicePage.next_cursor}`);
    expect(titles(bobPage).every((t) => t.startsWith('bob'))).toBe(true);
  });

  it.each([
    ['garbage', 'limit=2&cursor=not-a-cursor'],
    ['a forged cursor', `cursor=${Buffer.from('{"t":"x","i":"y"}').toString('base64url')}`],
    [
      'offset and cursor together',
      `offset=1&cursor=${Buffer.from(JSON.stringify({ t: '2026-01-01T00:00:00.000Z', i: randomUUID() })).toString('base64url')}`,
    ],
  ])('refuses %s with 400 problem+json', async (_name, query) => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/items?${query}`,
      headers: headersFor(randomUUID()),
    });
    expectProblem(res, 400);
  });

  it('a write with a stale If-Match changes nothing and answers 412; the current ETag works', async () => {
    const sub = randomUUID();
    const headers = headersFor(sub);
    const item = await create(sub, 'original');
    const url = `/api/v1/items/${item.id}`;
    const read = await app.inject({ method: 'GET', url, headers });
    expect(read.headers.etag).toBe('"1"');

    const first = await app.inject({
      method: 'PATCH',
      url,
      headers: { ...headers, 'if-match': '"1"' },
      payload: { title: 'first' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    expect(first.json()).toMatchObject({ title: 'first', version: 2 });

    const stale = await app.inject({
      method: 'PATCH',
      url,
      headers: { ...headers, 'if-match': '"1"' },
      payload: { title: 'second' },
    });
    expect(expectProblem(stale, 412).detail).toMatch(/version 2/);
    for (const tag of ['W/"2"', 'nonsense']) {
      const weak = await app.inject({
        method: 'PATCH',
        url,
        headers: { ...headers, 'if-match': tag },
        payload: { done: true },
      });
      expectProblem(weak, 412);
    }
    const staleDelete = await app.inject({
      method: 'DELETE',
      url,
      headers: { ...headers, 'if-match': '"1"' },
    });
    expectProblem(staleDelete, 412);
    expect((await app.inject({ method: 'GET', url, headers })).json()).toMatchObject({
      title: 'first',
      done: false,
      version: 2,
    });

    // Another user's item stays a 404 whatever the condition, never a 412 that would reveal it.
    const theirs = await app.inject({
      method: 'PATCH',
      url,
      headers: { ...headersFor(randomUUID()), 'if-match': '"1"' },
      payload: { title: 'x' },
    });
    expectProblem(theirs, 404);

    const unconditional = await app.inject({ method: 'PATCH', url, headers, payload: { done: true } });
    expect(unconditional.json()).toMatchObject({ title: 'first', done: true, version: 3 });
    expect(
      (await app.inject({ method: 'DELETE', url, headers: { ...headers, 'if-match': '"3"' } })).statusCode,
    ).toBe(204);
    expectProblem(await app.inject({ method: 'GET', url, headers }), 404);
  });

  it('concurrent read-modify-write edits lose no update: one of a racing batch wins, the rest retry', async () => {
    const sub = randomUUID();
    const headers = headersFor(sub);
    const item = await create(sub, 'counter');
    const url = `/api/v1/items/${item.id}`;
    const writers = ['a', 'b', 'c', 'd', 'e', 'f'];

    // Everyone reads version 1, then everyone writes at once: exactly one write may win.
    const reads = await Promise.all(writers.map(() => app.inject({ method: 'GET', url, headers })));
    const round = await Promise.all(
      writers.map((w, n) => {
        const seen = reads[n]!.json() as { description: string };
        return app.inject({
          method: 'PATCH',
          url,
          headers: { ...headers, 'if-match': reads[n]!.headers.etag as string },
          payload: { description: `${seen.description}${w};` },
        });
      }),
    );
    expect(round.map((r) => r.statusCode).sort()).toEqual([200, 412, 412, 412, 412, 412]);

    // The losers re-read and retry until they land; every writer's mark must survive.
    const losers = writers.filter((_w, n) => round[n]!.statusCode === 412);
    await Promise.all(
      losers.map(async (w) => {
        for (let attempt = 0; attempt < 50; attempt++) {
          const now = await app.inject({ method: 'GET', url, headers });
          const res = await app.inject({
            method: 'PATCH',
            url,
            headers: { ...headers, 'if-match': now.headers.etag as string },
            payload: { description: `${(now.json() as { description: string }).description}${w};` },
          });
          if (res.statusCode === 200) return;
          expect(res.statusCode).toBe(412);
        }
        throw new Error(`writer ${w} never landed`);
      }),
    );
    const final = (await app.inject({ method: 'GET', url, headers })).json() as {
      description: string;
      version: number;
    };
    expect(final.description.split(';').filter(Boolean).sort()).toEqual(writers);
    expect(final.version).toBe(writers.length + 1);
  });

  it('keeps the items in the store under test (DynamoDB leaves the items table empty)', async () => {
    const sub = randomUUID();
    await create(sub, 'where am I');
    const { rows } = await db.query<{ n: number }>(
      'select count(*)::int as n from items where owner_sub = $1',
      [sub],
    );
    expect(rows[0]?.n).toBe(kind === 'dynamodb' ? 0 : 1);
  });
});
