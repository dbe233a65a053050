/**
 * A page of a pool's users in username order, cut as paginate() cuts it (same order, same tokens),
 * from the raw records (ADR 0184: the change-tracking views cost several times more on a 100k-user
 * pool) and the store's ordered indexes (ADR 0186): the walk stops once the page and one more user
 * are found, and only the returned users are ever shaped into a response.
 */
import type { Ctx } from '../context.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { poolIndex } from '../store/user-index.ts';
import { paginate, tokenAfter, tokenFor } from './paging.ts';

/** Up to this many users from an index are sorted by name; more are picked on a walk in username order. */
const SORT_UP_TO = 4096;

export interface UserSelection {
  /** Usernames that can match (from an index), or undefined: every user of the pool. */
  names?: string[];
  /** Tested on each user taken from `names` or the pool. */
  match: (u: UserRecord) => boolean;
}

const byUsername = (a: UserRecord, b: UserRecord) =>
  a.username < b.username ? -1 : a.username > b.username ? 1 : 0;

export function userPage(ctx: Ctx, pool: PoolRecord, select: UserSelection, limit: number, token?: string) {
  const users = ctx.store.unwrap(pool).users;
  const index = poolIndex(pool);
  if (!index) {
    // A pool record that is not a store's view has no index: sort the whole selection.
    const all = select.names ? select.names.flatMap((n) => users[n] ?? []) : Object.values(users);
    return paginate(all.filter(select.match), (u) => u.username, limit, token);
  }
  const after = token ? tokenAfter(token) : undefined;
  const picked: UserRecord[] = [];
  if (select.names && select.names.length <= SORT_UP_TO) {
    const found = select.names.flatMap((n) => users[n] ?? []);
    for (const u of found.sort(byUsername)) {
      if (after !== undefined && u.username <= after) continue;
      if (select.match(u)) picked.push(u);
      if (picked.length > limit) break;
    }
  } else {
    const only = select.names && new Set(select.names);
    for (const name of index.sorted('username-order', (u) => u.username).from(after)) {
      if (only && !only.has(name)) continue;
      const u = users[name];
      if (u && select.match(u)) picked.push(u);
      if (picked.length > limit) break;
    }
  }
  const page = picked.slice(0, limit);
  const next = picked.length > limit ? tokenFor(page[page.length - 1]!.username) : undefined;
  return { page, next };
}
