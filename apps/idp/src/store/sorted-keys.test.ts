import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dict } from './dict.ts';
import type { PoolRecord, UserRecord } from './state.ts';
import { Store } from './store.ts';
import { poolIndex } from './user-index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idp-sorted-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const pool = (): PoolRecord =>
  ({ id: 'p1', usernameAttributes: ['email'], groups: dict(), users: dict() }) as unknown as PoolRecord;

const user = (username: string, email?: string): UserRecord =>
  ({
    username,
    sub: username,
    attributes: dict(email ? { email } : {}),
    groups: [],
  }) as unknown as UserRecord;

/** A small seeded generator (mulberry32): the same sequence of writes on every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

const emailOf = (u: UserRecord) => u.attributes.email?.toLowerCase();

/** What the index must answer, computed by sorting every user the slow way. */
function expected(users: Record<string, UserRecord>, prefix: string) {
  return Object.values(users)
    .flatMap((u) => {
      const k = emailOf(u);
      return k?.startsWith(prefix) ? [[k, u.username] as const] : [];
    })
    .sort((a, b) => (a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? -1 : 1))
    .map(([, name]) => name);
}

describe('SortedKeys through the store', () => {
  it('stays in order through adds, changes, deletes and replacements, patched or rebuilt', async () => {
    const store = await Store.open(dir);
    store.state.pools.p1 = pool();
    const p = store.state.pools.p1!;
    const rnd = random(7);
    const domains = ['a.example', 'b.example', 'A.example'];
    const write = () => {
      const name = `u${rnd(300)}`;
      const op = rnd(4);
      if (op === 0) delete p.users[name];
      else if (op === 1 && p.users[name]) p.users[name]!.attributes.email = `x${rnd(50)}@${domains[rnd(3)]}`;
      else if (op === 2 && p.users[name]) delete p.users[name]!.attributes.email;
      else p.users[name] = user(name, rnd(5) === 0 ? undefined : `m${rnd(80)}@${domains[rnd(3)]}`);
    };
    const index = () => poolIndex(p)!.sorted('email-test', emailOf);
    for (const batch of [0, 1, 5, 40, 3000, 2, 0, 17]) {
      for (let i = 0; i < batch; i++) write();
      const raw = store.unwrap(p).users;
      if (batch === 3000) expect(Object.keys(raw).length).toBeGreaterThan(100);
      for (const prefix of ['', 'm1', 'x', 'm7@a.example', 'zz'])
        expect(index().matching(prefix, true)).toEqual(expected(raw, prefix));
      const exact = Object.values(raw)
        .find((u) => u.attributes.email)
        ?.attributes.email?.toLowerCase();
      if (exact)
        expect(index().matching(exact, false)).toEqual(
          expected(raw, exact).filter((n) => emailOf(raw[n]!) === exact),
        );
    }
    await store.close();
  });

  it('walks usernames in the order `<` gives, from just after a name', async () => {
    const store = await Store.open(dir);
    store.state.pools.p1 = pool();
    const p = store.state.pools.p1!;
    const names = ['b', 'B', 'a', 'é', 'e\u0301', '10', '9', 'ab', 'Z'];
    for (const n of names) p.users[n] = user(n);
    const order = poolIndex(p)!.sorted('order-test', (u) => u.username);
    const sorted = [...names].sort((x, y) => (x < y ? -1 : 1));
    expect([...order.from(undefined)]).toEqual(sorted);
    expect([...order.from('a')]).toEqual(sorted.filter((n) => n > 'a'));
    expect([...order.from('aa')]).toEqual(sorted.filter((n) => n > 'aa'));
    delete p.users.ab;
    p.users.aa = user('aa');
    expect([
      ...poolIndex(p)!
        .sorted('order-test', (u) => u.username)
        .from('a'),
    ]).toEqual([...sorted, 'aa'].filter((n) => n !== 'ab' && n > 'a').sort((x, y) => (x < y ? -1 : 1)));
    await store.close();
  });
});
