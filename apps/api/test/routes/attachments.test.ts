import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalS3, startLocalS3 } from '@app/stack';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { AppConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/index.ts';
import { ObjectStore } from '../../src/services/attachments/object-store.ts';
import { AttachmentsService, objectKey } from '../../src/services/attachments/service.ts';
import type { ItemsStore } from '../../src/services/items/index.ts';
import { keyServerEnv, startJwksServer, type TestKeyServer, testConfig } from '../support/index.ts';
import { itemStoreCases } from './item-stores.ts';

let keys: TestKeyServer;
let s3: LocalS3;
let s3Dir: string;
const stores = itemStoreCases('apidata_attach');
const MAX = 64 * 1024;

beforeAll(async () => {
  s3Dir = await mkdtemp(join(tmpdir(), 's3-test-'));
  [keys, s3] = await Promise.all([
    startJwksServer(),
    startLocalS3({ host: '127.0.0.1', port: 0, dir: s3Dir, corsOrigins: ['http://localhost:5173'] }),
    stores.setUp(),
  ]);
});
afterAll(async () => {
  await Promise.all([keys?.stop(), s3?.stop(), stores.tearDown()]);
  await rm(s3Dir, { recursive: true, force: true });
});

const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(200, 7)]);

// The records live beside the items: in PGlite (npm start's default), Postgres, or the item's DynamoDB partition.
describe.each(stores.cases)('attachments with items on %s', (_kind, store) => {
  let app: FastifyInstance;
  let db: Db;
  const alice = { sub: randomUUID(), username: 'alice@example.com' };
  const bob = { sub: randomUUID(), username: 'bob@example.com' };
  const bearer = (u: { sub: string; username: string }) => ({
    authorization: `Bearer ${keys.accessToken({ sub: u.sub, username: u.username })}`,
  });

  let config: AppConfig;
  beforeAll(async () => {
    db = await store.open();
    config = testConfig({
      ...keyServerEnv(keys),
      COGNITO_ENDPOINT: keys.url,
      ...store.env(),
      ...s3.env,
      ATTACHMENT_MAX_BYTES: String(MAX),
    });
    app = await buildApp(config, { db, migrate: true });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const call = (user: typeof alice, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: bearer(user), ...(payload ? { payload } : {}) });
  const newItem = async (user = alice) =>
    (await call(user, 'POST', '/items', { title: 'with files' })).json().id;
  const declared = (body: Buffer, content_type = 'image/png', name = 'photo.png') => ({
    name,
    content_type,
    size: body.length,
  });
  /** Sign, PUT to the bucket as a client would (plain fetch), and return the upload. */
  async function upload(itemId: string, decl: ReturnType<typeof declared>, body: Buffer, headers = {}) {
    const signed = await call(alice, 'POST', `/items/${itemId}/attachments/uploads`, decl);
    expect(signed.statusCode).toBe(201);
    const u = signed.json();
    const put = await fetch(u.url, { method: u.method, headers: { ...u.headers, ...headers }, body });
    expect(put.status).toBe(200);
    return u;
  }

  it('round trip: sign, upload, record, list, download, delete', async () => {
    const itemId = await newItem();
    const decl = declared(png, 'image/png', `holiday "beach" (it's ü)*.png`);
    const u = await upload(itemId, decl, png);
    expect(u.upload_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The signature covers type and size, so S3 itself refuses any other (the local server does not).
    expect(new URL(u.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    // Short-lived: five minutes to upload, ten to download.
    expect(new URL(u.url).searchParams.get('X-Amz-Expires')).toBe('300');
    expect(u.url).not.toContain(alice.sub);
    expect(u.url).not.toContain('holiday');

    const done = await call(alice, 'POST', `/items/${itemId}/attachments`, {
      upload_id: u.upload_id,
      ...decl,
    });
    expect(done.statusCode).toBe(201);
    expect(done.json()).toMatchObject({
      id: u.upload_id,
      item_id: itemId,
      name: decl.name,
      size: png.length,
    });
    // Completing again answers the same record (a retried request).
    const again = await call(alice, 'POST', `/items/${itemId}/attachments`, {
      upload_id: u.upload_id,
      ...decl,
    });
    expect(again.statusCode).toBe(201);

    const list = await call(alice, 'GET', `/items/${itemId}/attachments`);
    expect(list.statusCode).toBe(200);
    const [listed] = list.json().attachments;
    expect(list.json().attachments).toHaveLength(1);
    expect(new URL(listed.download_url).searchParams.get('X-Amz-Expires')).toBe('600');
    const download = await fetch(listed.download_url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    // RFC 8187: only attr-chars stay as they are (encodeURIComponent alone would keep ' ( ) *).
    expect(download.headers.get('content-disposition')).toBe(
      "attachment; filename*=UTF-8''holiday%20%22beach%22%20%28it%27s%20%C3%BC%29%2A.png",
    );
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);

    const del = await call(alice, 'DELETE', `/items/${itemId}/attachments/${u.upload_id}`);
    expect(del.statusCode).toBe(204);
    expect((await call(alice, 'GET', `/items/${itemId}/attachments`)).json().attachments).toEqual([]);
    expect((await fetch(listed.download_url)).status).toBe(404);
    expect((await call(alice, 'GET', `/items/${itemId}/attachments/${u.upload_id}`)).statusCode).toBe(404);
  });

  it('refuses a declared file that is too large or of a type not allowed', async () => {
    const itemId = await newItem();
    const big = await call(alice, 'POST', `/items/${itemId}/attachments/uploads`, {
      name: 'big.png',
      content_type: 'image/png',
      size: MAX + 1,
    });
    expect(big.statusCode).toBe(413);
    for (const type of ['text/html', 'image/svg+xml', 'application/javascript']) {
      const res = await call(alice, 'POST', `/items/${itemId}/attachments/uploads`, declared(png, type, 'x'));
      expect(res.statusCode).toBe(415);
    }
  });

  it('deletes and refuses an upload whose bytes or type differ from the signed ones', async () => {
    const itemId = await newItem();
    // More bytes than declared (AWS would refuse the signature; s3rver stores it, the API checks).
    const small = declared(png.subarray(0, 50));
    const u1 = await upload(itemId, small, Buffer.alloc(MAX + 10, 1), {
      'content-length': String(MAX + 10),
    });
    const r1 = await call(alice, 'POST', `/items/${itemId}/attachments`, {
      upload_id: u1.upload_id,
      ...small,
    });
    expect(r1.statusCode).toBe(422);
    expect(r1.json().detail).toMatch(/deleted/);
    // The object is gone: completing again finds nothing.
    const r1b = await call(alice, 'POST', `/items/${itemId}/attachments`, {
      upload_id: u1.upload_id,
      ...small,
    });
    expect(r1b.statusCode).toBe(409);

    const u2 = await upload(itemId, declared(png), png, { 'content-type': 'text/html' });
    const r2 = await call(alice, 'POST', `/items/${itemId}/attachments`, {
      upload_id: u2.upload_id,
      ...declared(png),
    });
    expect(r2.statusCode).toBe(422);
    expect((await call(alice, 'GET', `/items/${itemId}/attachments`)).json().attachments).toEqual([]);
  });

  it("answers 404 for another user's item and attachment, exactly like missing ones", async () => {
    const itemId = await newItem();
    const u = await upload(itemId, declared(png), png);
    await call(alice, 'POST', `/items/${itemId}/attachments`, { upload_id: u.upload_id, ...declared(png) });
    const missingId = 'AAAAAAAAAAAAAAAAAAAAAA';
    for (const [method, url, body] of [
      ['GET', `/items/${itemId}/attachments`],
      ['GET', `/items/${itemId}/attachments/${u.upload_id}`],
      ['DELETE', `/items/${itemId}/attachments/${u.upload_id}`],
      ['POST', `/items/${itemId}/attachments/uploads`, declared(png)],
      ['POST', `/items/${itemId}/attachments`, { upload_id: u.upload_id, ...declared(png) }],
    ] as const) {
      const theirs = await call(bob, method, url, body);
      expect(theirs.statusCode, `${method} ${url}`).toBe(404);
      const missing = await call(
        alice,
        method,
        url.replace(u.upload_id, missingId).replace(itemId, randomUUID()),
        body,
      );
      expect(missing.statusCode).toBe(404);
      expect(theirs.json().detail).toBe(missing.json().detail);
    }
    expect((await call(alice, 'GET', `/items/${itemId}/attachments`)).json().attachments).toHaveLength(1);
  });

  it('deleting an item deletes its files', async () => {
    const itemId = await newItem();
    const u = await upload(itemId, declared(png), png);
    const done = await call(alice, 'POST', `/items/${itemId}/attachments`, {
      upload_id: u.upload_id,
      ...declared(png),
    });
    expect((await fetch(done.json().download_url)).status).toBe(200);
    expect((await call(alice, 'DELETE', `/items/${itemId}`)).statusCode).toBe(204);
    expect((await fetch(done.json().download_url)).status).toBe(404);
    expect((await call(alice, 'GET', `/items/${itemId}/attachments/${u.upload_id}`)).statusCode).toBe(404);
  });

  it('an item deleted while its upload is being completed keeps no file and no record (404)', async () => {
    const itemId = await newItem();
    const u = await upload(itemId, declared(png), png);
    // The item is there when the completion checks it, and deleted (through the API, files and
    // all) right after: the interleaving of a DELETE racing the completion.
    let raced = false;
    const racing = {
      get: async (sub: string, id: string) => {
        const found = await app.items.get(sub, id);
        if (!raced) {
          raced = true;
          expect((await call(alice, 'DELETE', `/items/${id}`)).statusCode).toBe(204);
        }
        return found;
      },
    } as unknown as ItemsStore;
    const objects = new ObjectStore(config.attachments!);
    try {
      const service = new AttachmentsService(racing, app.attachmentRecords, objects, MAX, app.log);
      await expect(
        service.complete(alice.sub, itemId, { upload_id: u.upload_id, ...declared(png) }),
      ).rejects.toMatchObject({ status: 404 });
      expect(raced).toBe(true);
      expect(await app.attachmentRecords.get(alice.sub, itemId, u.upload_id)).toBeNull();
      expect(await objects.head(objectKey('files', alice.sub, itemId, u.upload_id))).toBeNull();
      expect(await objects.head(objectKey('uploads', alice.sub, itemId, u.upload_id))).toBeNull();
    } finally {
      objects.destroy();
    }
  });

  it("account deletion's step removes every file of the owner from the bucket, and only theirs", async () => {
    const owner = { sub: randomUUID(), username: 'leaving@example.com' };
    const files: string[] = [];
    for (const title of ['one', 'two']) {
      const itemId = (await call(owner, 'POST', '/items', { title })).json().id;
      const signed = (
        await call(owner, 'POST', `/items/${itemId}/attachments/uploads`, declared(png))
      ).json();
      await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: png });
      const done = await call(owner, 'POST', `/items/${itemId}/attachments`, {
        upload_id: signed.upload_id,
        ...declared(png),
      });
      files.push(done.json().download_url);
    }
    const aliceItem = await newItem();
    const kept = await upload(aliceItem, declared(png), png);
    const keptDone = await call(alice, 'POST', `/items/${aliceItem}/attachments`, {
      upload_id: kept.upload_id,
      ...declared(png),
    });

    const objects = new ObjectStore(config.attachments!);
    try {
      const service = new AttachmentsService(app.items, app.attachmentRecords, objects, MAX, app.log);
      expect(await service.removeAllOf(owner.sub)).toBe(2);
    } finally {
      objects.destroy();
    }
    for (const url of files) expect((await fetch(url)).status).toBe(404);
    expect((await fetch(keptDone.json().download_url)).status).toBe(200);
  });
});
