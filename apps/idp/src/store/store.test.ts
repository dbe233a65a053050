import { appendFile, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findUser } from '../users/lookup.ts';
import { dict } from './dict.ts';
import type { MailMessage, PoolRecord, State, UserRecord } from './state.ts';
import { Store, StoreFileCorruptError } from './store.ts';

let dir: string;
const scratch: string[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idp-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await Promise.all(scratch.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** The folder as a kill -9 right now would leave it, opened by a second store. */
async function crashCopy(): Promise<Store> {
  const copy = await mkdtemp(join(tmpdir(), 'idp-store-crash-'));
  scratch.push(copy);
  await cp(dir, copy, { recursive: true });
  return Store.open(copy);
}

const mail = (id: string): MailMessage => ({
  id,
  to: 'a@example.com',
  kind: 'signup',
  subject: 's',
  body: 'b',
  code: id,
  createdAt: 'now',
});

const pool = (id: string): PoolRecord =>
  ({
    id,
    name: 'p',
    region: 'us-east-1',
    createdAt: 1,
    modifiedAt: 1,
    passwordPolicy: {} as PoolRecord['passwordPolicy'],
    usernameAttributes: ['email'],
    autoVerifiedAttributes: [],
    schema: [],
    mfaConfiguration: 'OFF',
    deletionProtection: false,
    groups: dict(),
    users: dict(),
  }) as PoolRecord;

const user = (username: string, email: string): UserRecord => ({
  username,
  sub: username,
  attributes: dict({ email }),
  status: 'CONFIRMED',
  enabled: true,
  passwordHash: 'x'.repeat(100),
  groups: [],
  createdAt: 1,
  modifiedAt: 1,
  failedSignIns: 0,
});

const logSize = async (d: string) => {
  const names = (await readdir(join(d, 'state'))).filter((n) => n.startsWith('log-'));
  let size = 0;
  for (const n of names) size += (await stat(join(d, 'state', n))).size;
  return size;
};

describe('Store', () => {
  it('starts empty in a new folder and says so', async () => {
    const store = await Store.open(dir);
    expect(store.isNew).toBe(true);
    expect(store.state.pools).toEqual({});
    await store.close();
  });

  it('resolves a commit only once the change it covers is on disk', async () => {
    const store = await Store.open(dir);
    store.state.mailbox.push(mail('1'));
    await store.commit();
    const after = await crashCopy();
    expect(after.isNew).toBe(false);
    expect(after.state.mailbox.map((m) => m.id)).toEqual(['1']);
    await Promise.all([store.close(), after.close()]);
  });

  it('coalesces a burst of commits and never acknowledges a change before it is written', async () => {
    const store = await Store.open(dir);
    const commits: Array<Promise<void>> = [];
    for (let i = 0; i < 50; i++) {
      store.state.mailbox.push(mail(String(i)));
      commits.push(store.commit());
    }
    await Promise.all(commits);
    store.state.mailbox.splice(0, 10);
    await store.commit();
    const reopened = await crashCopy();
    expect(reopened.state.mailbox.map((m) => m.id)).toEqual(store.state.mailbox.map((m) => m.id));
    expect(reopened.state.mailbox).toHaveLength(40);
    await Promise.all([store.close(), reopened.close()]);
  });

  it('writes what changed, not the whole state', async () => {
    const store = await Store.open(dir);
    store.state.pools.p1 = pool('p1');
    for (let i = 0; i < 2000; i++) store.state.pools.p1!.users[`u${i}`] = user(`u${i}`, `u${i}@example.com`);
    await store.commit();
    const before = await logSize(dir);
    const u = store.state.pools.p1!.users.u7!;
    u.failedSignIns++;
    u.attributes.nickname = 'seven';
    delete store.state.pools.p1!.users.u8;
    await store.commit();
    expect(before).toBeGreaterThan(2000 * 150);
    expect((await logSize(dir)) - before).toBeLessThan(1000);
    const after = await crashCopy();
    const users = after.state.pools.p1!.users;
    expect(users.u7).toMatchObject({ failedSignIns: 1, attributes: { nickname: 'seven' } });
    expect(users.u8).toBeUndefined();
    expect(Object.keys(users)).toHaveLength(1999);
    await Promise.all([store.close(), after.close()]);
  });

  it('tracks changes made through a record after it was inserted and committed', async () => {
    const store = await Store.open(dir);
    store.state.pools.p1 = pool('p1');
    store.state.pools.p1!.users.a = user('a', 'a@example.com');
    const a = store.state.pools.p1!.users.a!;
    await store.commit();
    a.groups.push('editor');
    a.mfa = { enabled: [] };
    a.mfa.enabled.push('SOFTWARE_TOKEN_MFA');
    await store.commit();
    const after = await crashCopy();
    expect(after.state.pools.p1!.users.a).toMatchObject({
      groups: ['editor'],
      mfa: { enabled: ['SOFTWARE_TOKEN_MFA'] },
    });
    await Promise.all([store.close(), after.close()]);
  });

  it('finds users by e-mail through its index, also after the e-mail changed', async () => {
    const store = await Store.open(dir);
    store.state.pools.p1 = pool('p1');
    for (let i = 0; i < 100; i++) store.state.pools.p1!.users[`u${i}`] = user(`u${i}`, `u${i}@example.com`);
    const p = store.state.pools.p1!;
    expect(findUser(p, 'U42@Example.com')?.username).toBe('u42');
    p.users.u42!.attributes.email = 'new@example.com';
    expect(findUser(p, 'u42@example.com')).toBeUndefined();
    expect(findUser(p, 'new@example.com')).toBe(p.users.u42);
    delete p.users.u42;
    expect(findUser(p, 'new@example.com')).toBeUndefined();
    await store.close();
  });

  it('finds users in a case-insensitive pool by any capitalisation of their username or preferred name', async () => {
    const store = await Store.open(dir);
    store.state.pools.p1 = { ...pool('p1'), usernameAttributes: [], aliasAttributes: ['preferred_username'] };
    const p = store.state.pools.p1!;
    p.users.Alice = user('Alice', 'alice@example.com');
    p.users.Alice!.attributes.preferred_username = 'Ally';
    expect(findUser(p, 'alice')).toBeUndefined();
    expect(findUser(p, 'Ally')).toBe(p.users.Alice);
    p.usernameCaseSensitive = false;
    expect(findUser(p, 'ALICE')).toBe(p.users.Alice);
    expect(findUser(p, 'ally')).toBe(p.users.Alice);
    await store.close();
  });

  it('drops a torn, unacknowledged batch at the end of the log and keeps every committed one', async () => {
    const store = await Store.open(dir);
    store.state.mailbox.push(mail('kept'));
    await store.commit();
    await store.close();
    const [log] = (await readdir(join(dir, 'state'))).filter((n) => n.startsWith('log-'));
    await appendFile(join(dir, 'state', log!), '{"k":["mail","torn"],"v":{"id":"torn"}}\n{"k":["mai');
    const reopened = await Store.open(dir);
    expect(reopened.state.mailbox.map((m) => m.id)).toEqual(['kept']);
    reopened.state.mailbox.push(mail('next'));
    await reopened.commit();
    await reopened.close();
    const again = await Store.open(dir);
    expect(again.state.mailbox.map((m) => m.id)).toEqual(['kept', 'next']);
    await again.close();
  });

  it('refuses a log damaged before a committed batch, and leaves it as it was', async () => {
    const store = await Store.open(dir);
    store.state.mailbox.push(mail('1'));
    await store.commit();
    store.state.mailbox.push(mail('2'));
    await store.commit();
    await store.close();
    const [log] = (await readdir(join(dir, 'state'))).filter((n) => n.startsWith('log-'));
    const file = join(dir, 'state', log!);
    const damaged = (await readFile(file, 'utf8')).replace('"id":"1"', '"id":"1');
    await writeFile(file, damaged);
    await expect(Store.open(dir)).rejects.toThrow(StoreFileCorruptError);
    expect(await readFile(file, 'utf8')).toBe(damaged);
  });

  it('folds the log into a snapshot and loads the same state from it', async () => {
    const store = await Store.open(dir);
    store.state.pools.p1 = pool('p1');
    store.state.pools.p1!.users.a = user('a', 'a@example.com');
    store.state.mailbox.push(mail('1'));
    await store.commit();
    await store.compact();
    store.state.pools.p1!.users.a!.failedSignIns = 3;
    await store.commit();
    const after = await crashCopy();
    expect(after.state.pools.p1!.users.a!.failedSignIns).toBe(3);
    expect(after.state.mailbox.map((m) => m.id)).toEqual(['1']);
    expect((await readdir(join(dir, 'state'))).sort()).toEqual(['log-2.jsonl', 'snapshot-2.jsonl']);
    await Promise.all([store.close(), after.close()]);
  });

  it('compacts on its own once the log outgrows the snapshot, while later commits go on', async () => {
    const store = await Store.open(dir);
    store.state.pools.p1 = pool('p1');
    const users = store.state.pools.p1!.users;
    // ~9 MB of log: past the 8 MB threshold, so this commit starts a compaction.
    for (let i = 0; i < 3000; i++)
      users[`u${i}`] = { ...user(`u${i}`, `u${i}@example.com`), passwordHash: 'h'.repeat(3000) };
    await store.commit();
    // Changed while the snapshot is being written: these go to the new log.
    users.u1!.failedSignIns = 5;
    delete users.u2;
    users.late = user('late', 'late@example.com');
    await store.commit();
    await store.close();
    expect((await readdir(join(dir, 'state'))).sort()).toEqual(['log-2.jsonl', 'snapshot-2.jsonl']);
    const reopened = await Store.open(dir);
    const back = reopened.state.pools.p1!.users;
    expect(Object.keys(back)).toHaveLength(3000);
    expect(back.u1!.failedSignIns).toBe(5);
    expect(back.u2).toBeUndefined();
    expect(back.late?.attributes.email).toBe('late@example.com');
    await reopened.close();
  });

  it('migrates a state.json data folder on first open, losing nothing', async () => {
    const legacy: State = {
      version: 1,
      pools: dict({ p1: { ...pool('p1'), users: dict({ a: user('a', 'a@example.com') }) } }),
      clients: dict(),
      sessions: dict(),
      mailbox: [mail('m1')],
      bootstrap: { poolId: 'p1', clients: dict({ web: 'c1' }) },
    };
    const text = JSON.stringify(legacy);
    await writeFile(join(dir, 'state.json'), text);
    const store = await Store.open(dir);
    expect(store.isNew).toBe(false);
    expect(JSON.parse(JSON.stringify(store.state))).toEqual(JSON.parse(text));
    await store.close();
    expect(await readFile(join(dir, 'state.json.migrated'), 'utf8')).toBe(text);
    await expect(stat(join(dir, 'state.json'))).rejects.toThrow();
    const reopened = await Store.open(dir);
    expect(JSON.parse(JSON.stringify(reopened.state))).toEqual(JSON.parse(text));
    expect(findUser(reopened.state.pools.p1!, 'A@example.com')?.username).toBe('a');
    await reopened.close();
  });
});
