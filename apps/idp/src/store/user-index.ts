/**
 * Users by what they sign in with — normalised e-mail, phone number, preferred_username — per pool,
 * so finding "the user behind this e-mail" does not scan a pool of 100k users on every sign-in
 * (users/lookup.ts); and, for ListUsers, users ordered by an attribute (sorted-keys.ts). Each is
 * built on first use, then kept current from the store's change tracking: a user written since the
 * last look-up is re-indexed before the next one.
 */
import { normaliseEmail } from '@app/pool-definition/email';
import { type KeyOf, SortedKeys } from './sorted-keys.ts';
import type { PoolRecord, State, UserRecord } from './state.ts';

/** A pool read from `store.state` answers this key with its index (plain records have none). */
export const signInIndex: unique symbol = Symbol('signInIndex');

export const emailKeyOf = (email: string) => `e:${normaliseEmail(email)}`;

/** UsernameConfiguration CaseSensitive false: usernames and preferred_username match in any case. */
const foldedOf = (pool: PoolRecord | undefined) => pool?.usernameCaseSensitive === false;
const fold = (folded: boolean, s: string) => (folded ? s.toLowerCase() : s);

function keysOf(user: UserRecord, folded: boolean): string[] {
  const a = user.attributes;
  const keys: string[] = [];
  if (a.email !== undefined) keys.push(emailKeyOf(a.email));
  if (a.phone_number !== undefined) keys.push(`p:${a.phone_number}`);
  if (a.preferred_username !== undefined) keys.push(`n:${fold(folded, a.preferred_username)}`);
  if (folded) keys.push(`u:${user.username.toLowerCase()}`);
  return keys;
}

/** Past this many users written since the last look-up, an ordered index is built again, not patched. */
const REBUILD_AFTER = 2048;

export class PoolUserIndex {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly keysByUser = new Map<string, string[]>();
  private readonly stale = new Set<string>();
  /** ListUsers' ordered indexes by name (list-users.ts), each with the users written since its last use. */
  private readonly ordered = new Map<string, { keys: SortedKeys; stale: Set<string> }>();
  private folded: boolean;

  constructor(private readonly pool: () => PoolRecord | undefined) {
    this.folded = foldedOf(pool());
    for (const name of Object.keys(pool()?.users ?? {})) this.stale.add(name);
  }

  /** Usernames of the users that may answer to `name` (e-mail key given normalised). */
  candidates(name: string, emailKey: string): string[] {
    if (foldedOf(this.pool()) !== this.folded) {
      // The pool's case rule changed: every key is computed again.
      this.folded = !this.folded;
      this.byKey.clear();
      this.keysByUser.clear();
      for (const u of Object.keys(this.pool()?.users ?? {})) this.stale.add(u);
    }
    this.refresh();
    const out = new Set<string>();
    const keys = [`e:${emailKey}`, `p:${name}`, `n:${fold(this.folded, name)}`];
    if (this.folded) keys.push(`u:${name.toLowerCase()}`);
    for (const key of keys) for (const u of this.byKey.get(key) ?? []) out.add(u);
    return [...out];
  }

  /** A user was written or deleted: every index re-reads it before its next use. */
  changed(name: string) {
    this.stale.add(name);
    for (const o of this.ordered.values()) o.stale.add(name);
  }

  /**
   * The pool's users ordered by `keyOf`, built on first use under `id` (which names the key's rule:
   * a different rule needs a different id) and current with every write since.
   */
  sorted(id: string, keyOf: KeyOf): SortedKeys {
    const users = this.pool()?.users ?? {};
    const o = this.ordered.get(id);
    if (!o || o.stale.size > REBUILD_AFTER) {
      const keys = new SortedKeys(keyOf, users);
      this.ordered.set(id, { keys, stale: new Set() });
      return keys;
    }
    for (const name of o.stale) o.keys.update(name, Object.hasOwn(users, name) ? users[name] : undefined);
    o.stale.clear();
    return o.keys;
  }

  private refresh() {
    if (this.stale.size === 0) return;
    const users = this.pool()?.users;
    for (const name of this.stale) {
      for (const key of this.keysByUser.get(name) ?? []) this.byKey.get(key)?.delete(name);
      const user = users && Object.hasOwn(users, name) ? users[name] : undefined;
      const keys = user ? keysOf(user, this.folded) : [];
      if (keys.length) this.keysByUser.set(name, keys);
      else this.keysByUser.delete(name);
      for (const key of keys) {
        const set = this.byKey.get(key) ?? new Set<string>();
        this.byKey.set(key, set);
        set.add(name);
      }
    }
    this.stale.clear();
  }
}

export class UserIndexes {
  private readonly pools = new Map<string, PoolUserIndex>();

  constructor(private readonly raw: State) {}

  of(poolId: string): PoolUserIndex {
    let index = this.pools.get(poolId);
    if (!index) {
      index = new PoolUserIndex(() => this.raw.pools[poolId]);
      this.pools.set(poolId, index);
    }
    return index;
  }

  changed(poolId: string, username: string) {
    this.pools.get(poolId)?.changed(username);
  }

  clear() {
    this.pools.clear();
  }
}

/** The store's index of a pool read from `store.state`; undefined for a plain record. */
export const poolIndex = (pool: PoolRecord): PoolUserIndex | undefined =>
  (pool as PoolRecord & { [signInIndex]?: PoolUserIndex })[signInIndex];

/**
 * The users of `pool` that may answer to `name` through a sign-in attribute, in no set order, or
 * undefined when the pool has no index (a record not read from a store): then scan the pool.
 */
export function indexedCandidates(
  pool: PoolRecord,
  name: string,
  emailKey: string,
): UserRecord[] | undefined {
  const index = poolIndex(pool);
  if (!index) return undefined;
  return index.candidates(name, emailKey).flatMap((u) => pool.users[u] ?? []);
}
