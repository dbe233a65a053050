import { createHash } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { upsertSyncedUser } from './users.ts';

export interface SeedUser {
  sub: string;
  username: string;
  email: string | null;
  name: string | null;
}

export const demoItems = [
  { title: 'Read the README', description: 'Start with the two commands.', done: true },
  { title: 'Sign in with SRP', description: 'The password never leaves the browser.', done: true },
  { title: 'Create an item', description: 'POST /api/v1/items with a bearer token.', done: false },
  { title: 'Try another account', description: "Other users' items answer 404.", done: false },
  { title: 'Open the API docs', description: 'Interactive docs at /docs.', done: false },
];

/** A stable UUID per (sub, n), so re-seeding finds the same rows instead of adding copies. */
export function seedItemId(sub: string, n: number): string {
  const h = createHash('sha256').update(`seed:${sub}:${n}`).digest('hex');
  // RFC 9562 version 8 (custom) with the RFC variant bits.
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Idempotent demo data for one user: the profile row and a handful of items. Returns items added. */
export async function seedDemoData(db: Db, user: SeedUser): Promise<number> {
  return db.transaction(async (tx) => {
    await upsertSyncedUser(tx, user);
    let added = 0;
    for (const [n, item] of demoItems.entries()) {
      const { rows } = await tx.query(
        `insert into items (id, owner_sub, title, description, done, created_at, updated_at)
         values ($1, $2, $3, $4, $5, now() - make_interval(mins => $6), now() - make_interval(mins => $6))
         on conflict (id) do nothing returning id`,
        [seedItemId(user.sub, n), user.sub, item.title, item.description, item.done, demoItems.length - n],
      );
      added += rows.length;
    }
    return added;
  });
}
