import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, runMigrations } from '../../src/db/index.ts';
import { DynamoItemsStore } from '../../src/services/items/dynamodb-store.ts';
import { createDocumentClient } from '../../src/services/items/dynamodb-table.ts';
import { type OpenedItemsStore, openItemsStore } from '../../src/services/items/index.ts';
import { demoItems, seedDemoData, seedItemId } from '../../src/services/seed.ts';
import { type LocalDynamo, openTestPglite, startDynalite } from '../support/index.ts';

describe('seedDemoData', () => {
  let db: Db;
  let dynamo: LocalDynamo;
  const stores: Record<string, OpenedItemsStore> = {};
  beforeAll(async () => {
    [db, dynamo] = await Promise.all([openTestPglite(), startDynalite()]);
    await runMigrations(db);
    stores.pglite = await openItemsStore({ items: { store: 'postgres' } }, db);
    const env = dynamo.env();
    stores.dynamodb = await openItemsStore(
      {
        items: {
          store: 'dynamodb',
          table: env.DYNAMODB_TABLE!,
          region: 'us-east-1',
          endpoint: dynamo.endpoint,
        },
      },
      db,
    );
  });
  afterAll(async () => {
    for (const s of Object.values(stores)) await s.close();
    await Promise.all([db?.close(), dynamo?.stop()]);
  });

  it.each(['pglite', 'dynamodb'])(
    'is idempotent in the %s items store: a second run adds nothing and keeps the profile current',
    async (kind) => {
      const items = stores[kind]!.store;
      const user = { sub: randomUUID(), username: 'internal-1', email: 'seed@example.com', name: 'Seed' };
      expect(await seedDemoData(db, items, user)).toBe(demoItems.length);
      expect(await seedDemoData(db, items, { ...user, name: 'Renamed' })).toBe(0);
      const page = await items.list(user.sub, { limit: 50, offset: 0 });
      // Newest first is the last demo item: the seed spaces creation times a minute apart.
      expect(page.items.map((i) => i.title)).toEqual([...demoItems].reverse().map((i) => i.title));
      expect(page.items.map((i) => i.id)).toContain(seedItemId(user.sub, 0));
      const profile = await db.query<{ name: string }>('select name from users where sub = $1', [user.sub]);
      expect(profile.rows[0]?.name).toBe('Renamed');
    },
  );

  it('the DynamoDB store answers its ready check, and fails it when the server is gone', async () => {
    expect(await stores.dynamodb!.store.ping()).toBe(true);
    const client = createDocumentClient({ table: 'x', region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    try {
      await expect(new DynamoItemsStore(client, 'x').ping()).rejects.toThrow();
    } finally {
      client.destroy();
    }
  });

  it('derives distinct, valid UUIDs per user and item', () => {
    const a = seedItemId('user-a', 0);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seedItemId('user-a', 0)).toBe(a);
    expect(new Set([a, seedItemId('user-a', 1), seedItemId('user-b', 0)]).size).toBe(3);
  });
});
