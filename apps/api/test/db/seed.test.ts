import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDb, type Db, runMigrations } from '../../src/db/index.ts';
import { demoItems, seedDemoData, seedItemId } from '../../src/services/seed.ts';

describe('seedDemoData', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createPgliteDb('memory://');
    await runMigrations(db);
  });
  afterAll(async () => db?.close());

  it('is idempotent: a second run adds nothing and keeps the profile current', async () => {
    const user = { sub: randomUUID(), username: 'internal-1', email: 'seed@example.com', name: 'Seed' };
    expect(await seedDemoData(db, user)).toBe(demoItems.length);
    expect(await seedDemoData(db, { ...user, name: 'Renamed' })).toBe(0);
    const items = await db.query<{ title: string }>(
      'select title from items where owner_sub = $1 order by created_at desc',
      [user.sub],
    );
    // Newest first is the last demo item: the seed spaces created_at a minute apart.
    expect(items.rows.map((r) => r.title)).toEqual([...demoItems].reverse().map((i) => i.title));
    const profile = await db.query<{ name: string }>('select name from users where sub = $1', [user.sub]);
    expect(profile.rows[0]?.name).toBe('Renamed');
  });

  it('derives distinct, valid UUIDs per user and item', () => {
    const a = seedItemId('user-a', 0);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seedItemId('user-a', 0)).toBe(a);
    expect(new Set([a, seedItemId('user-a', 1), seedItemId('user-b', 0)]).size).toBe(3);
  });
});
