import { createHash } from 'node:crypto';
import type { Db } from '../db/index.ts';
import type { ItemsStore } from './items/store.ts';
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

/**
 * Idempotent demo data for one user: the profile row (always Postgres) and a handful of items in
 * whichever items store the app uses (ADR 0092). Returns the number of items added.
 */
export async function seedDemoData(db: Db, items: ItemsStore, user: SeedUser): Promise<number> {
  await upsertSyncedUser(db, user);
  const now = Date.now();
  let added = 0;
  for (const [n, item] of demoItems.entries()) {
    // A minute apart, the last one newest, so the list shows them in the order written above.
    const createdAt = new Date(now - (demoItems.length - n) * 60_000);
    if (await items.seed(user, seedItemId(user.sub, n), item, createdAt)) added++;
  }
  return added;
}
