/**
 * One attribute of a pool's users kept in order: (key, username) pairs sorted by key, then username,
 * in JavaScript string order (UTF-16 code units, what `<` compares). ListUsers answers `=` and `^=`
 * filters by binary search here, and walks the pool in username order through the same structure,
 * instead of computing every user's value on every call (user-index.ts keeps it current).
 */
import type { UserRecord } from './state.ts';

/** The value a user is found by, already in the form filters compare (undefined: not listed). */
export type KeyOf = (user: UserRecord) => string | undefined;

const before = (k1: string, n1: string, k2: string, n2: string) => k1 < k2 || (k1 === k2 && n1 < n2);

export class SortedKeys {
  private keys: string[] = [];
  private names: string[] = [];
  /** Each listed user's current key, to find its old place when it changes. */
  private readonly keyByName = new Map<string, string>();

  constructor(
    private readonly keyOf: KeyOf,
    users: Record<string, UserRecord>,
  ) {
    const pairs: Array<[string, string]> = [];
    for (const name of Object.keys(users)) {
      const key = keyOf(users[name]!);
      if (key === undefined) continue;
      pairs.push([key, name]);
      this.keyByName.set(name, key);
    }
    pairs.sort((a, b) => (before(a[0], a[1], b[0], b[1]) ? -1 : before(b[0], b[1], a[0], a[1]) ? 1 : 0));
    this.keys = pairs.map((p) => p[0]);
    this.names = pairs.map((p) => p[1]);
  }

  /** The user `name` was written or deleted: move, add or drop its pair. */
  update(name: string, user: UserRecord | undefined) {
    const old = this.keyByName.get(name);
    const key = user ? this.keyOf(user) : undefined;
    if (old === key) return;
    if (old !== undefined) {
      const at = this.lowerBound(old, name);
      if (this.names[at] === name && this.keys[at] === old) {
        this.keys.splice(at, 1);
        this.names.splice(at, 1);
      }
      this.keyByName.delete(name);
    }
    if (key === undefined) return;
    const at = this.lowerBound(key, name);
    this.keys.splice(at, 0, key);
    this.names.splice(at, 0, name);
    this.keyByName.set(name, key);
  }

  /** Usernames whose key equals `value` (exact) or starts with it (`prefix`), in key order. */
  matching(value: string, prefix: boolean): string[] {
    const out: string[] = [];
    for (let i = this.lowerBound(value, ''); i < this.keys.length; i++) {
      const key = this.keys[i]!;
      if (prefix ? !key.startsWith(value) : key !== value) break;
      out.push(this.names[i]!);
    }
    return out;
  }

  /** Usernames from the first pair whose key is greater than `after` (all when undefined), in order. */
  *from(after: string | undefined): Generator<string> {
    let i = after === undefined ? 0 : this.upperBound(after);
    for (; i < this.names.length; i++) yield this.names[i]!;
  }

  get size() {
    return this.names.length;
  }

  /** The first place whose pair is not before (key, name). */
  private lowerBound(key: string, name: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.keys[mid]!, this.names[mid]!, key, name)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first place whose key is greater than `key`. */
  private upperBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
